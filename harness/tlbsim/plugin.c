// SPDX-License-Identifier: GPL-2.0
/*
 * plugin.c - QEMU 10.0 TCG plugin glue for the tlbsim arm64 TLB model.
 *
 * At translation time every instruction gets a memory callback tagged with
 * the exception level the block was translated for (read once from cpsr:
 * a TB only ever runs at the EL it was translated at, the EL is part of
 * the TB flags), every block gets an execution callback for the
 * instruction-side TLB, and the few instructions that matter to a TLB get
 * an execution callback that reads x<Rt>: MSR to TTBR0/TTBR1/TCR/SCTLR_EL1,
 * TLBI, and the tlbsim region marker.  So no system register is read on an
 * access; the model's cached copy is seeded once in vcpu_init.  Guest RAM
 * is read for the walk through an mmap of the memory-backend file.
 *
 * The fetch side costs one inline compare per executed block and one
 * callback only when a vCPU moves to another code page: a conditional
 * callback compares the block's page with the last one in a per-vCPU
 * scoreboard, and the callback does the lookup and stores the new page.
 *
 * Output is JSON lines (model, one region record per region, total) built
 * with jansson; see README.md.  Inner-shareable TLBIs reach other vCPUs
 * through a small per-vCPU queue drained at that vCPU's next callback, so
 * MTTCG needs no lock on the access path.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-plugin-abi.h"
#include "tlbsim.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = TLBSIM_QEMU_PLUGIN_API;

#define PENDING_MAX	64	/* queued remote TLBIs before a full flush */
#define MAX_REGIONS	64	/* regions open at once */
#define LABEL_MAX	64	/* bytes of a region label kept, with NUL */
#define MISMATCH_LOG	8	/* first check mismatches kept for the report */
#define NR_XREGS	31	/* x0..x30; Rt = 31 is xzr */

/* HVC/SMC #imm16 (imm16 masked out) and the PSCI calls that end a run */
#define HVC_SMC_MASK		0xffe0001fu
#define HVC_INSN		0xd4000002u
#define SMC_INSN		0xd4000003u
#define PSCI_SYSTEM_OFF		0x84000008u
#define PSCI_SYSTEM_RESET	0x84000009u

/* callback udata packing for the fetch side: page | 2-page flag | el */
#define TB_EL_BIT	1ull
#define TB_TWO_PAGES	2ull
/* never equal to a packed single-page key, which has TB_TWO_PAGES clear */
#define IKEY_NONE	(~0ull)

/* TLBIs waiting for the DSB that completes them, in tlbi_pending */
#define TLBI_PENDING_LOCAL	1
#define TLBI_PENDING_BROADCAST	2

/* per-vCPU scoreboard element: what inline ops read and write */
struct vcpu_sb {
	uint64_t last_key;		/* page | el of the last fetch lookup */
	uint64_t tlbi_pending;		/* 0 or a TLBI_PENDING_* */
	uint64_t insns[EL_NR];		/* instructions of executed blocks */
};

struct pending {
	enum tlbi_kind kind;
	uint64_t xt;
};

struct vcpu_state {
	struct tlbsim_cpu m;
	bool ready;
	int has_pending;	/* read with __atomic on the access path */
	pthread_mutex_t lock;
	unsigned int npending;
	bool overflow;
	struct pending q[PENDING_MAX];
};

struct region {
	bool open;
	uint64_t id;
	unsigned int vcpu;
	char label[LABEL_MAX];
	struct tlbsim_counters start;
};

struct mismatch {
	uint64_t va, model, qemu;
};

static struct tlbsim_config cfg;
static const struct core_preset *preset;
static bool region_system;		/* region_scope=system */
static uint8_t *ram;
static uint64_t ram_size;
static FILE *out;
static unsigned int nr_vcpus;
static struct vcpu_state *vcpus;
static pthread_mutex_t glock = PTHREAD_MUTEX_INITIALIZER;
static struct region regions[MAX_REGIONS];
static uint64_t nr_region_records, region_errors, reg_errors, out_errors;
static struct mismatch mismatches[MISMATCH_LOG];
static unsigned int nr_mismatch_logged;
/* counters when the guest asked PSCI to power off or reset */
static struct tlbsim_counters final_total;
static const char *ended_by;

static struct qemu_plugin_scoreboard *sb;
static qemu_plugin_u64 sb_last_key, sb_tlbi_pending, sb_insns[EL_NR];
static struct qemu_plugin_register *h_x[NR_XREGS], *h_cpsr, *h_pc;
static struct qemu_plugin_register *h_sys[SYSREG_SCTLR + 1];
static __thread GByteArray *regbuf;

/* ---- guest memory and registers ------------------------------------- */

static bool ram_read(void *ctx, uint64_t pa, uint64_t *val)
{
	uint64_t off = pa - cfg.mem_base;

	(void)ctx;
	if (pa < cfg.mem_base || off > ram_size - sizeof(*val))
		return false;
	memcpy(val, ram + off, sizeof(*val));
	return true;
}

static int map_ram(char *err, size_t len)
{
	struct stat st;
	int fd;

	fd = open(cfg.mem_path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, len, "mem=%s: %s", cfg.mem_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ram_size = st.st_size;
	ram = mmap(NULL, ram_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (ram == MAP_FAILED || ram_size < sizeof(uint64_t)) {
		snprintf(err, len, "mem=%s: cannot map (%s)", cfg.mem_path,
			 ram == MAP_FAILED ? strerror(errno) : "empty");
		ram = NULL;
		return -1;
	}
	return 0;
}

static uint64_t read_reg(struct qemu_plugin_register *h)
{
	uint64_t v = 0;
	int n;

	if (!h) {
		__atomic_add_fetch(&reg_errors, 1, __ATOMIC_RELAXED);
		return 0;
	}
	if (!regbuf)
		regbuf = g_byte_array_new();
	g_byte_array_set_size(regbuf, 0);
	n = qemu_plugin_read_register(h, regbuf);
	if (n <= 0 || n > (int)sizeof(v)) {
		__atomic_add_fetch(&reg_errors, 1, __ATOMIC_RELAXED);
		return 0;
	}
	memcpy(&v, regbuf->data, n);	/* little-endian host and target */
	return v;
}

static uint64_t read_x(unsigned int rt)
{
	return rt < NR_XREGS ? read_reg(h_x[rt]) : 0;	/* 31 is xzr */
}

static void find_handles(void)
{
	static const char *const sys[] = {
		[SYSREG_TTBR0] = "TTBR0_EL1", [SYSREG_TTBR1] = "TTBR1_EL1",
		[SYSREG_TCR] = "TCR_EL1", [SYSREG_SCTLR] = "SCTLR",
	};
	GArray *regs = qemu_plugin_get_registers();
	qemu_plugin_reg_descriptor *d;
	unsigned int i, j;
	char name[8];

	if (!regs)
		return;
	d = (qemu_plugin_reg_descriptor *)regs->data;
	for (i = 0; i < regs->len; i++) {
		if (!strcmp(d[i].name, "cpsr"))
			h_cpsr = d[i].handle;
		if (!strcmp(d[i].name, "pc"))
			h_pc = d[i].handle;
		for (j = SYSREG_TTBR0; j <= SYSREG_SCTLR; j++)
			if (!strcmp(d[i].name, sys[j]))
				h_sys[j] = d[i].handle;
		for (j = 0; j < NR_XREGS; j++) {
			snprintf(name, sizeof(name), "x%u", j);
			if (!strcmp(d[i].name, name))
				h_x[j] = d[i].handle;
		}
	}
	g_array_free(regs, 1);
}

/* ---- remote TLBI queue ---------------------------------------------- */

static void drain(struct vcpu_state *v)
{
	unsigned int i;

	pthread_mutex_lock(&v->lock);
	if (v->overflow)
		tlbsim_apply_tlbi(&v->m, TLBI_K_ALL, 0);
	else
		for (i = 0; i < v->npending; i++)
			tlbsim_apply_tlbi(&v->m, v->q[i].kind, v->q[i].xt);
	v->npending = 0;
	v->overflow = false;
	__atomic_store_n(&v->has_pending, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&v->lock);
	qemu_plugin_u64_set(sb_last_key, v - vcpus, IKEY_NONE);
}

static inline void drain_if_pending(struct vcpu_state *v)
{
	if (__builtin_expect(__atomic_load_n(&v->has_pending,
					     __ATOMIC_ACQUIRE), 0))
		drain(v);
}

static void post_remote(unsigned int self, enum tlbi_kind kind, uint64_t xt)
{
	unsigned int i;

	for (i = 0; i < nr_vcpus; i++) {
		struct vcpu_state *v = &vcpus[i];

		if (i == self || !__atomic_load_n(&v->ready, __ATOMIC_ACQUIRE))
			continue;
		pthread_mutex_lock(&v->lock);
		if (v->npending < PENDING_MAX)
			v->q[v->npending++] = (struct pending){ kind, xt };
		else
			v->overflow = true;
		__atomic_store_n(&v->has_pending, 1, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&v->lock);
	}
}

/* ---- JSON output ----------------------------------------------------- */

static int emit(json_t *rec)
{
	int r = -1;

	if (!rec)
		goto out;
	pthread_mutex_lock(&glock);
	if (!json_dumpf(rec, out, JSON_COMPACT) && fputc('\n', out) != EOF &&
	    !fflush(out))
		r = 0;
	pthread_mutex_unlock(&glock);
	json_decref(rec);
out:
	if (r)
		__atomic_add_fetch(&out_errors, 1, __ATOMIC_RELAXED);
	return r;
}

static json_t *counters_json(const struct tlbsim_counters *c)
{
	json_t *o = json_object();
	unsigned int i;

	for (i = 0; o && i < CTR_NR; i++)
		if (json_object_set_new(o, tlbsim_ctr_names[i],
					json_pack("{sIsI}",
						  "user", (json_int_t)c->v[EL_USER][i],
						  "kernel", (json_int_t)c->v[EL_KERNEL][i]))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static json_t *geom_json(const struct tlb_geom *g)
{
	static const char *const repl[] = { "lru", "fifo", "random" };
	char sizes[96];

	if (tlbsim_format_sizes(g->sizes, sizes, sizeof(sizes)))
		return NULL;
	return json_pack("{sIsIsIssss}", "entries", (json_int_t)g->entries,
			 "ways", (json_int_t)g->ways,
			 "sets", (json_int_t)(g->entries / g->ways),
			 "sizes", sizes, "repl", repl[g->repl]);
}

static json_t *costs_json(const struct tlbsim_costs *k)
{
	return json_pack("{sIsIsIsIsIsssb}", "l2", (json_int_t)k->l2,
			 "walk_step", (json_int_t)k->walk_step,
			 "tlbi", (json_int_t)k->tlbi,
			 "sync_local", (json_int_t)k->sync_local,
			 "sync_broadcast", (json_int_t)k->sync_broadcast,
			 "estimated", k->estimated,
			 "overridden", cfg.cost_set);
}

static int emit_model(void)
{
	return emit(json_pack("{sssssisssbsssssIsssis{sososo}so}",
			      "type", "model",
			      "plugin_version", TLBSIM_VERSION,
			      "plugin_api", TLBSIM_QEMU_PLUGIN_API,
			      "core", cfg.core,
			      "core_verified", preset->verified,
			      "contpte", cfg.model.contpte ? "on" : "off",
			      "check", cfg.check ? "on" : "off",
			      "mem_base", (json_int_t)cfg.mem_base,
			      "region_scope", region_system ? "system" : "vcpu",
			      "vcpus", (int)nr_vcpus,
			      "geometry",
			      "l1i", geom_json(&cfg.model.l1i),
			      "l1d", geom_json(&cfg.model.l1d),
			      "l2", geom_json(&cfg.model.l2),
			      "costs", costs_json(&cfg.model.cost)));
}

/* ---- regions --------------------------------------------------------- */

/* Adds vCPU i's counters to *s. */
static void add_vcpu_counters(unsigned int i, struct tlbsim_counters *s)
{
	struct vcpu_state *v = &vcpus[i];
	unsigned int e, c;

	if (!__atomic_load_n(&v->ready, __ATOMIC_ACQUIRE))
		return;
	for (e = 0; e < EL_NR; e++) {
		for (c = 0; c < CTR_NR; c++)
			s->v[e][c] += __atomic_load_n(&v->m.ctr.v[e][c],
						      __ATOMIC_RELAXED);
		s->v[e][CTR_MODEL_INSTRUCTIONS] += qemu_plugin_u64_get(sb_insns[e], i);
	}
}

static void snapshot(unsigned int vcpu, struct tlbsim_counters *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (!region_system) {
		add_vcpu_counters(vcpu, s);
		return;
	}
	for (i = 0; i < nr_vcpus; i++)
		add_vcpu_counters(i, s);
}

static void read_label(struct tlbsim_cpu *c, uint64_t va, char *buf)
{
	unsigned int i;
	uint64_t pa;

	for (i = 0; va && i < LABEL_MAX - 1; i++, va++) {
		if (!tlbsim_translate(c, va, &pa) || pa < cfg.mem_base ||
		    pa - cfg.mem_base >= ram_size)
			break;
		buf[i] = ram[pa - cfg.mem_base];
		if (!buf[i])
			break;
		/* keep the label printable ASCII so it is valid JSON text */
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			buf[i] = '?';
	}
	buf[i] = 0;
}

static void region_begin(unsigned int vcpu, uint64_t id, uint64_t label_va)
{
	struct region *r = NULL;
	unsigned int i;

	pthread_mutex_lock(&glock);
	for (i = 0; i < MAX_REGIONS && !r; i++)
		if (regions[i].open && regions[i].id == id)
			r = &regions[i];	/* restart: begin twice */
	for (i = 0; i < MAX_REGIONS && !r; i++)
		if (!regions[i].open)
			r = &regions[i];
	if (!r) {
		region_errors++;
		pthread_mutex_unlock(&glock);
		return;
	}
	r->open = true;
	r->id = id;
	r->vcpu = vcpu;
	read_label(&vcpus[vcpu].m, label_va, r->label);
	snapshot(vcpu, &r->start);
	pthread_mutex_unlock(&glock);
}

static void region_end(unsigned int vcpu, uint64_t id)
{
	struct tlbsim_counters now, d;
	struct region r = { 0 };
	unsigned int i, e, c;

	pthread_mutex_lock(&glock);
	for (i = 0; i < MAX_REGIONS; i++) {
		if (regions[i].open && regions[i].id == id) {
			r = regions[i];
			regions[i].open = false;
			break;
		}
	}
	if (!r.open) {
		region_errors++;
		pthread_mutex_unlock(&glock);
		return;
	}
	snapshot(region_system ? vcpu : r.vcpu, &now);
	nr_region_records++;
	pthread_mutex_unlock(&glock);
	for (e = 0; e < EL_NR; e++)
		for (c = 0; c < CTR_NR; c++)
			d.v[e][c] = now.v[e][c] - r.start.v[e][c];
	tlbsim_model_cycles(&d, &cfg.model.cost);
	emit(json_pack("{sssIsssisbso}", "type", "region", "id", (json_int_t)id,
		       "label", r.label, "vcpu", (int)r.vcpu,
		       "migrated", vcpu != r.vcpu, "counters", counters_json(&d)));
}

/* ---- callbacks -------------------------------------------------------- */

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info,
		   uint64_t vaddr, void *udata)
{
	struct vcpu_state *v = &vcpus[vcpu];
	enum tlbsim_el el = (enum tlbsim_el)(uintptr_t)udata;
	struct qemu_plugin_hwaddr *hw;
	uint64_t pa, qpa;
	bool ok;

	drain_if_pending(v);
	ok = tlbsim_data(&v->m, vaddr, el, &pa);
	if (!cfg.check)
		return;
	hw = qemu_plugin_get_hwaddr(info, vaddr);
	if (!hw || qemu_plugin_hwaddr_is_io(hw)) {
		v->m.ctr.v[el][CTR_CHECK_SKIPPED]++;
		return;
	}
	v->m.ctr.v[el][CTR_CHECK_COMPARED]++;
	qpa = qemu_plugin_hwaddr_phys_addr(hw);
	if (ok && qpa == pa)
		return;
	v->m.ctr.v[el][CTR_CHECK_MISMATCH]++;
	pthread_mutex_lock(&glock);
	if (nr_mismatch_logged < MISMATCH_LOG)
		mismatches[nr_mismatch_logged++] =
			(struct mismatch){ vaddr, ok ? pa : ~0ull, qpa };
	pthread_mutex_unlock(&glock);
}

/*
 * Fetch-side lookup of a block's page(s), one l1i_tlb access per change of
 * code page.  For a one-page block this runs only when the block's key
 * differs from the last one; a two-page block always calls, and looks up
 * its first page only if that is not the page the last block ended on.  So
 * the count does not depend on where QEMU ends its blocks, which under
 * -icount depends on host timers, and a split block counts as the whole.
 *
 * The page comes from the PC, not from the block's translation-time
 * address: arm64 TBs are PC-relative in QEMU 10 (CF_PCREL), so a block is
 * reused at every VA that maps its physical page (Linux runs its early
 * MMU-off code again through the kernel mapping).  The key in udata, and
 * so the skip test, is per physical page in effect.
 */
static void on_tb(unsigned int vcpu, void *udata)
{
	struct vcpu_state *v = &vcpus[vcpu];
	uint64_t u = (uintptr_t)udata;
	enum tlbsim_el el = (u & TB_EL_BIT) ? EL_KERNEL : EL_USER;
	uint64_t page = read_reg(h_pc) & ~((1ull << SZ_4K_SHIFT) - 1);

	uint64_t key = page | (u & TB_EL_BIT);

	drain_if_pending(v);
	if (!(u & TB_TWO_PAGES)) {
		tlbsim_fetch(&v->m, page, el, true);
		qemu_plugin_u64_set(sb_last_key, vcpu, u);
		return;
	}
	if (qemu_plugin_u64_get(sb_last_key, vcpu) != key)
		tlbsim_fetch(&v->m, page, el, true);
	page += 1ull << SZ_4K_SHIFT;
	tlbsim_fetch(&v->m, page, el, true);
	qemu_plugin_u64_set(sb_last_key, vcpu, page | (u & TB_EL_BIT));
}

/* udata: sysreg id << 8 | rt */
static void on_msr(unsigned int vcpu, void *udata)
{
	struct tlbsim_cpu *m = &vcpus[vcpu].m;
	uintptr_t u = (uintptr_t)udata;

	tlbsim_set_sysreg(m, u >> 8, read_x(u & 0xff));
	qemu_plugin_u64_set(sb_last_key, vcpu, IKEY_NONE);
}

/* udata: broadcast << 16 | kind << 8 | rt */
static void on_tlbi(unsigned int vcpu, void *udata)
{
	static const enum tlbsim_ctr kind_ctr[] = {
		[TLBI_K_ALL] = CTR_TLBI_ALL, [TLBI_K_VA] = CTR_TLBI_VA,
		[TLBI_K_VAA] = CTR_TLBI_VAA, [TLBI_K_ASID] = CTR_TLBI_ASID,
		[TLBI_K_RVA] = CTR_TLBI_RANGE, [TLBI_K_RVAA] = CTR_TLBI_RANGE,
		[TLBI_K_OTHER] = CTR_TLBI_OTHER,
	};
	struct vcpu_state *v = &vcpus[vcpu];
	uintptr_t u = (uintptr_t)udata;
	enum tlbi_kind kind = (u >> 8) & 0xff;
	uint64_t xt = read_x(u & 0xff);

	drain_if_pending(v);
	v->m.ctr.v[EL_KERNEL][kind_ctr[kind]]++;
	tlbsim_apply_tlbi(&v->m, kind, xt);
	qemu_plugin_u64_set(sb_last_key, vcpu, IKEY_NONE);
	if (u >> 16) {
		v->m.ctr.v[EL_KERNEL][CTR_TLBI_BROADCAST]++;
		qemu_plugin_u64_set(sb_tlbi_pending, vcpu, TLBI_PENDING_BROADCAST);
	} else if (!qemu_plugin_u64_get(sb_tlbi_pending, vcpu)) {
		qemu_plugin_u64_set(sb_tlbi_pending, vcpu, TLBI_PENDING_LOCAL);
	}
	if ((u >> 16) && nr_vcpus > 1)
		post_remote(vcpu, kind, xt);
}

/*
 * A DSB with TLBIs pending (the callback is conditional on tlbi_pending):
 * the barrier that completes them, broadcast if any of them was.  Any DSB
 * counts; Linux completes a broadcast TLBI with DSB ISH, a local one with
 * DSB NSH.  udata: el.
 */
static void on_dsb(unsigned int vcpu, void *udata)
{
	struct vcpu_state *v = &vcpus[vcpu];
	enum tlbsim_el el = (enum tlbsim_el)(uintptr_t)udata;

	if (qemu_plugin_u64_get(sb_tlbi_pending, vcpu) == TLBI_PENDING_BROADCAST)
		v->m.ctr.v[el][CTR_TLBI_SYNC_BROADCAST]++;
	else
		v->m.ctr.v[el][CTR_TLBI_SYNC_LOCAL]++;
	qemu_plugin_u64_set(sb_tlbi_pending, vcpu, 0);
}

static void on_magic(unsigned int vcpu, void *udata)
{
	uint64_t req = read_x(16);

	(void)udata;
	if ((req & TLBSIM_REQ_MASK) != TLBSIM_REQ_MAGIC)
		return;		/* an ordinary orr x16, x16, x16 */
	switch (req & ~TLBSIM_REQ_MASK) {
	case TLBSIM_REQ_BEGIN:
		region_begin(vcpu, read_x(17), read_x(15));
		break;
	case TLBSIM_REQ_END:
		region_end(vcpu, read_x(17));
		break;
	default:
		__atomic_add_fetch(&region_errors, 1, __ATOMIC_RELAXED);
	}
}

/*
 * After PSCI SYSTEM_OFF/RESET the vCPU runs on until QEMU's main loop
 * stops it, a nondeterministic number of instructions even with -icount.
 * The total record is therefore the count at the request.
 */
static void on_hvc_smc(unsigned int vcpu, void *udata)
{
	uint64_t fn = read_x(0);
	unsigned int i;

	(void)vcpu;
	(void)udata;
	if (fn != PSCI_SYSTEM_OFF && fn != PSCI_SYSTEM_RESET)
		return;
	pthread_mutex_lock(&glock);
	if (!ended_by) {
		for (i = 0; i < nr_vcpus; i++)
			add_vcpu_counters(i, &final_total);
		ended_by = fn == PSCI_SYSTEM_OFF ? "psci-system-off" :
						   "psci-system-reset";
	}
	pthread_mutex_unlock(&glock);
}

static void instrument_insn(struct qemu_plugin_insn *insn, enum tlbsim_el el)
{
	uint32_t op = 0;
	struct tlbi_op t;
	enum sysreg_id sr;
	unsigned int rt;

	qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS,
					 QEMU_PLUGIN_MEM_RW,
					 (void *)(uintptr_t)el);
	if (qemu_plugin_insn_data(insn, &op, sizeof(op)) != sizeof(op))
		return;
	sr = decode_msr(op, &rt);
	if (sr != SYSREG_NONE) {
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_msr,
						       QEMU_PLUGIN_CB_R_REGS,
						       (void *)(uintptr_t)(sr << 8 | rt));
		return;
	}
	decode_tlbi(op, &t);
	if (t.kind != TLBI_NONE) {
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_tlbi,
						       QEMU_PLUGIN_CB_R_REGS,
						       (void *)(uintptr_t)((uintptr_t)t.broadcast << 16 |
									   t.kind << 8 | t.rt));
		return;
	}
	if (decode_dsb(op)) {
		qemu_plugin_register_vcpu_insn_exec_cond_cb(insn, on_dsb,
							    QEMU_PLUGIN_CB_NO_REGS,
							    QEMU_PLUGIN_COND_NE,
							    sb_tlbi_pending, 0,
							    (void *)(uintptr_t)el);
		return;
	}
	if (op == TLBSIM_MAGIC_INSN)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_magic,
						       QEMU_PLUGIN_CB_R_REGS, NULL);
	if ((op & HVC_SMC_MASK) == HVC_INSN || (op & HVC_SMC_MASK) == SMC_INSN)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_hvc_smc,
						       QEMU_PLUGIN_CB_R_REGS, NULL);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	/* cpsr[3:2] is the EL this block was translated, and will run, at */
	enum tlbsim_el el = ((read_reg(h_cpsr) >> 2) & 3) ? EL_KERNEL : EL_USER;
	uint64_t first, last, u;
	struct qemu_plugin_insn *insn;

	(void)id;
	if (!n)
		return;
	first = qemu_plugin_tb_vaddr(tb);
	insn = qemu_plugin_tb_get_insn(tb, n - 1);
	last = qemu_plugin_insn_vaddr(insn) + qemu_plugin_insn_size(insn) - 1;
	u = (first & ~((1ull << SZ_4K_SHIFT) - 1)) |
	    (el == EL_KERNEL ? TB_EL_BIT : 0) |
	    (((first ^ last) >> SZ_4K_SHIFT) ? TB_TWO_PAGES : 0);
	if (u & TB_TWO_PAGES) {
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb,
						     QEMU_PLUGIN_CB_R_REGS,
						     (void *)(uintptr_t)u);
	} else {
		/* the one inline op per block; on_tb stores the new key */
		qemu_plugin_register_vcpu_tb_exec_cond_cb(tb, on_tb,
							  QEMU_PLUGIN_CB_R_REGS,
							  QEMU_PLUGIN_COND_NE,
							  sb_last_key, u,
							  (void *)(uintptr_t)u);
	}
	/* model_instructions: the whole block, when it starts */
	qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(tb, QEMU_PLUGIN_INLINE_ADD_U64,
							  sb_insns[el], n);
	for (i = 0; i < n; i++)
		instrument_insn(qemu_plugin_tb_get_insn(tb, i), el);
}

static void on_vcpu_init(qemu_plugin_id_t id, unsigned int vcpu)
{
	struct vcpu_state *v;
	unsigned int r;

	(void)id;
	if (vcpu >= nr_vcpus) {
		fprintf(stderr, "tlbsim: vCPU %u beyond %u\n", vcpu, nr_vcpus);
		abort();
	}
	pthread_mutex_lock(&glock);
	if (!h_cpsr)
		find_handles();
	pthread_mutex_unlock(&glock);
	v = &vcpus[vcpu];
	if (tlbsim_cpu_init(&v->m, &cfg.model, ram_read, NULL)) {
		fprintf(stderr, "tlbsim: out of memory for vCPU %u\n", vcpu);
		abort();
	}
	pthread_mutex_init(&v->lock, NULL);
	qemu_plugin_u64_set(sb_last_key, vcpu, IKEY_NONE);
	for (r = SYSREG_TTBR0; r <= SYSREG_SCTLR; r++)
		tlbsim_set_sysreg(&v->m, r, read_reg(h_sys[r]));
	__atomic_store_n(&v->ready, true, __ATOMIC_RELEASE);
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
	struct tlbsim_counters total = { 0 };
	json_t *mm = json_array();
	unsigned int i;

	(void)id;
	(void)udata;
	if (ended_by)
		total = final_total;
	else
		for (i = 0; i < nr_vcpus; i++)
			add_vcpu_counters(i, &total);
	tlbsim_model_cycles(&total, &cfg.model.cost);
	for (i = 0; mm && i < nr_mismatch_logged; i++)
		json_array_append_new(mm, json_pack("{sIsIsI}",
			"va", (json_int_t)mismatches[i].va,
			"model", (json_int_t)mismatches[i].model,
			"qemu", (json_int_t)mismatches[i].qemu));
	emit(json_pack("{sssssosIs{sIsIsI}so}", "type", "total",
		       "ended_by", ended_by ? ended_by : "exit",
		       "counters", counters_json(&total),
		       "regions", (json_int_t)nr_region_records,
		       "errors", "region", (json_int_t)region_errors,
		       "register_read", (json_int_t)reg_errors,
		       "output", (json_int_t)out_errors,
		       "first_mismatches", mm));
	if (fclose(out))
		fprintf(stderr, "tlbsim: closing %s: %s\n", cfg.out_path,
			strerror(errno));
	out = NULL;
}

/* region_scope is parsed here: it is glue, not model configuration. */
static int take_scope(int *argc, char **argv, char *err, size_t len)
{
	int i, j;

	for (i = j = 0; i < *argc; i++) {
		if (strncmp(argv[i], "region_scope=", 13)) {
			argv[j++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i] + 13, "system"))
			region_system = true;
		else if (!strcmp(argv[i] + 13, "vcpu"))
			region_system = false;
		else {
			snprintf(err, len, "malformed value in '%s'", argv[i]);
			return -1;
		}
	}
	*argc = j;
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	char err[256];

	if (strcmp(info->target_name, "aarch64") || !info->system_emulation) {
		fprintf(stderr, "tlbsim: needs qemu-system-aarch64 (got %s)\n",
			info->target_name);
		return -1;
	}
	if (take_scope(&argc, argv, err, sizeof(err)) ||
	    tlbsim_parse_args(&cfg, argc, argv, err, sizeof(err)))
		goto fail;
	preset = core_find(cfg.core);
	if (map_ram(err, sizeof(err)))
		goto fail;
	nr_vcpus = info->system.max_vcpus;
	vcpus = calloc(nr_vcpus, sizeof(*vcpus));
	if (!vcpus) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	sb = qemu_plugin_scoreboard_new(sizeof(struct vcpu_sb));
	sb_last_key = (qemu_plugin_u64){ sb, offsetof(struct vcpu_sb, last_key) };
	sb_tlbi_pending = (qemu_plugin_u64){ sb, offsetof(struct vcpu_sb, tlbi_pending) };
	sb_insns[EL_USER] = (qemu_plugin_u64){ sb, offsetof(struct vcpu_sb, insns[EL_USER]) };
	sb_insns[EL_KERNEL] = (qemu_plugin_u64){ sb, offsetof(struct vcpu_sb, insns[EL_KERNEL]) };
	out = fopen(cfg.out_path, "w");
	if (!out) {
		snprintf(err, sizeof(err), "out=%s: %s", cfg.out_path,
			 strerror(errno));
		goto fail;
	}
	if (emit_model()) {
		snprintf(err, sizeof(err), "out=%s: write failed", cfg.out_path);
		goto fail;
	}
	qemu_plugin_register_vcpu_init_cb(id, on_vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
fail:
	fprintf(stderr, "tlbsim: %s\n", err);
	return -1;
}
