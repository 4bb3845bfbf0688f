// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - strict parser for the plugin's key=value arguments.
 *
 * QEMU hands the plugin "-plugin lib.so,k=v,k=v" as argv; an unknown key
 * or a value that does not parse fails qemu_plugin_install, so QEMU
 * refuses to start instead of running a model the user did not ask for.
 * The core preset is applied first, whatever its position, and explicit
 * geometry keys override it.  See README.md for the list.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlbsim.h"

#define DEFAULT_CORE		"cortex-a76"
#define VIRT_RAM_BASE		0x40000000ull	/* -M virt RAM starts here */
#define MAX_TLB_ENTRIES		65536		/* sanity bound */
#define MAX_COST		1000000		/* cycles: sanity bound */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

struct size_name {
	const char *name;
	unsigned int shift;
};

static const struct size_name size_names[] = {
	{ "4k", 12 }, { "16k", 14 }, { "64k", 16 }, { "1m", 20 },
	{ "2m", 21 }, { "16m", 24 }, { "32m", 25 }, { "512m", 29 },
	{ "1g", 30 },
};

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static bool parse_onoff(const char *s, bool *v)
{
	if (!strcmp(s, "on")) {
		*v = true;
		return true;
	}
	if (!strcmp(s, "off")) {
		*v = false;
		return true;
	}
	return false;
}

/* "4k+64k+2m" -> bitmask of shifts */
static bool parse_sizes(const char *s, uint64_t *sizes)
{
	char buf[128], *tok, *save;
	size_t i;

	if (strlen(s) >= sizeof(buf) || !*s)
		return false;
	strcpy(buf, s);
	*sizes = 0;
	for (tok = strtok_r(buf, "+", &save); tok;
	     tok = strtok_r(NULL, "+", &save)) {
		for (i = 0; i < ARRAY_SIZE(size_names); i++)
			if (!strcasecmp(tok, size_names[i].name))
				break;
		if (i == ARRAY_SIZE(size_names))
			return false;
		*sizes |= TLB_SZ(size_names[i].shift);
	}
	return true;
}

int tlbsim_format_sizes(uint64_t sizes, char *buf, size_t len)
{
	size_t i, off = 0;
	int n;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(size_names); i++) {
		if (!(sizes & TLB_SZ(size_names[i].shift)))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? "+" : "",
			     size_names[i].name);
		if (n < 0 || (size_t)n >= len - off)
			return -1;
		off += n;
	}
	return 0;
}

static bool parse_repl(const char *s, enum tlb_repl *r)
{
	if (!strcmp(s, "lru"))
		*r = TLB_REPL_LRU;
	else if (!strcmp(s, "fifo"))
		*r = TLB_REPL_FIFO;
	else if (!strcmp(s, "random"))
		*r = TLB_REPL_RANDOM;
	else
		return false;
	return true;
}

/* "cost_l2=3": modelled cycle costs; 1 if key was one, -1 if bad value. */
static int parse_cost(struct tlbsim_costs *k, const char *key, const char *val)
{
	static const struct {
		const char *key;
		size_t off;
	} costs[] = {
		{ "cost_l2", offsetof(struct tlbsim_costs, l2) },
		{ "cost_walk_step", offsetof(struct tlbsim_costs, walk_step) },
		{ "cost_tlbi", offsetof(struct tlbsim_costs, tlbi) },
		{ "cost_sync_local", offsetof(struct tlbsim_costs, sync_local) },
		{ "cost_sync_broadcast", offsetof(struct tlbsim_costs, sync_broadcast) },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(costs); i++)
		if (!strcmp(key, costs[i].key))
			break;
	if (i == ARRAY_SIZE(costs))
		return 0;
	if (!parse_u64(val, &v) || v > MAX_COST)
		return -1;
	*(unsigned int *)((char *)k + costs[i].off) = v;
	return 1;
}

/* "l1d_ways=8": geometry keys; returns 1 if key was one, -1 if bad value. */
static int parse_geom(struct tlbsim_config *cfg, const char *key,
		      const char *val, bool *fa)
{
	static const char *const tlbs[] = { "l1i_", "l1d_", "l2_" };
	struct tlb_geom *g[] = { &cfg->model.l1i, &cfg->model.l1d,
				 &cfg->model.l2 };
	size_t i, n;
	uint64_t v;

	for (i = 0; i < 3; i++) {
		n = strlen(tlbs[i]);
		if (!strncmp(key, tlbs[i], n))
			break;
	}
	if (i == 3)
		return 0;
	key += n;
	if (!strcmp(key, "entries") || !strcmp(key, "ways")) {
		if (!parse_u64(val, &v) || v > MAX_TLB_ENTRIES)
			return -1;
		if (key[0] == 'e')
			g[i]->entries = v;
		else
			g[i]->ways = v;
		/* ways=0 means fully associative */
		fa[i] = key[0] == 'w' ? v == 0 : fa[i];
		return 1;
	}
	if (!strcmp(key, "sizes"))
		return parse_sizes(val, &g[i]->sizes) ? 1 : -1;
	if (!strcmp(key, "repl"))
		return parse_repl(val, &g[i]->repl) ? 1 : -1;
	return 0;
}

static int check_geom(const char *name, struct tlb_geom *g, bool fa,
		      char *err, size_t len)
{
	if (fa)
		g->ways = g->entries;
	if (!g->entries || !g->ways || g->entries % g->ways)
		return fail(err, len, "%s: %u entries is not a multiple of %u ways",
			    name, g->entries, g->ways);
	if (!(g->sizes & TLB_SZ(SZ_4K_SHIFT)))
		return fail(err, len, "%s: sizes must include 4k", name);
	return 0;
}

static int apply_core(struct tlbsim_config *cfg, int argc, char **argv,
		      char *err, size_t len)
{
	const struct core_preset *p;
	int i;

	cfg->core = DEFAULT_CORE;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "core=", 5))
			cfg->core = argv[i] + 5;
	p = core_find(cfg->core);
	if (!p)
		return fail(err, len, "unknown core '%s'", cfg->core);
	cfg->model.l1i = p->l1i;
	cfg->model.l1d = p->l1d;
	cfg->model.l2 = p->l2;
	cfg->model.cost = p->cost;
	return 0;
}

static int parse_one(struct tlbsim_config *cfg, const char *arg, bool *fa,
		     char *err, size_t len)
{
	const char *eq = strchr(arg, '=');
	char key[32];
	const char *val;
	int r;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(key))
		return fail(err, len, "malformed argument '%s' (want key=value)",
			    arg);
	memcpy(key, arg, eq - arg);
	key[eq - arg] = 0;
	val = eq + 1;
	if (!strcmp(key, "core"))
		return 0;	/* applied by apply_core */
	if (!strcmp(key, "mem"))
		cfg->mem_path = val;
	else if (!strcmp(key, "out"))
		cfg->out_path = val;
	else if (!strcmp(key, "mem_base")) {
		if (!parse_u64(val, &cfg->mem_base))
			goto bad;
	} else if (!strcmp(key, "contpte")) {
		if (!parse_onoff(val, &cfg->model.contpte))
			goto bad;
	} else if (!strcmp(key, "check")) {
		if (!parse_onoff(val, &cfg->check))
			goto bad;
	} else if ((r = parse_cost(&cfg->model.cost, key, val))) {
		if (r < 0)
			goto bad;
		cfg->cost_set = true;
	} else {
		r = parse_geom(cfg, key, val, fa);
		if (r < 0)
			goto bad;
		if (!r)
			return fail(err, len, "unknown argument '%s'", key);
	}
	if (!*val)
		goto bad;
	return 0;
bad:
	return fail(err, len, "malformed value in '%s'", arg);
}

int tlbsim_parse_args(struct tlbsim_config *cfg, int argc, char **argv,
		      char *err, size_t len)
{
	bool fa[3];
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_base = VIRT_RAM_BASE;
	cfg->model.contpte = true;
	if (apply_core(cfg, argc, argv, err, len))
		return -1;
	fa[0] = cfg->model.l1i.ways == cfg->model.l1i.entries;
	fa[1] = cfg->model.l1d.ways == cfg->model.l1d.entries;
	fa[2] = cfg->model.l2.ways == cfg->model.l2.entries;
	for (i = 0; i < argc; i++)
		if (parse_one(cfg, argv[i], fa, err, len))
			return -1;
	if (check_geom("l1i", &cfg->model.l1i, fa[0], err, len) ||
	    check_geom("l1d", &cfg->model.l1d, fa[1], err, len) ||
	    check_geom("l2", &cfg->model.l2, fa[2], err, len))
		return -1;
	if (!cfg->mem_path)
		return fail(err, len, "missing mem=PATH (the memory-backend-file)");
	if (!cfg->out_path)
		return fail(err, len, "missing out=PATH (the JSON lines output)");
	return 0;
}
