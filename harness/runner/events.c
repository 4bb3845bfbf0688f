// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event_open(2) counters for the measured loop, for the perf events of
 * the counter table (counters.c).
 *
 * Generic events use the kernel's generic encodings; named PMU events (the
 * arm64 TLB events) are looked up by name under
 * /sys/bus/event_source/devices/<pmu>/events/ and encoded through that
 * PMU's format/ description, so no raw event number is copied into this
 * file.  Each event is opened twice, user-only and kernel-only, where the
 * PMU allows it, else once for both.  All counters of the task are started
 * and stopped together with prctl(PR_TASK_PERF_EVENTS_ENABLE/DISABLE): one
 * syscall each side of the measured loop.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <jansson.h>

#include "events.h"
#include "sysfs.h"

const char *events_sysfs_root = "/sys/bus/event_source/devices";

/*
 * Place "value" into the attr field named by a format spec such as
 * "config:0-15" or "config1:0-7,32-35" (bits filled low range first).
 */
static int apply_format(const char *spec, uint64_t value, struct pmu_event *ev)
{
	const char *colon = strchr(spec, ':');
	const char *p;
	uint64_t *dst;
	size_t flen;

	if (!colon)
		return -1;
	flen = colon - spec;
	if (flen == 6 && !strncmp(spec, "config", 6))
		dst = &ev->config;
	else if (flen == 7 && !strncmp(spec, "config1", 7))
		dst = &ev->config1;
	else if (flen == 7 && !strncmp(spec, "config2", 7))
		dst = &ev->config2;
	else
		return -1;

	for (p = colon + 1; *p;) {
		char *end;
		unsigned long lo, hi, bit;

		lo = strtoul(p, &end, 10);
		if (end == p || lo > 63)
			return -1;
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || hi > 63 || hi < lo)
				return -1;
		}
		for (bit = lo; bit <= hi; bit++) {
			*dst |= (value & 1) << bit;
			value >>= 1;
		}
		if (*end == ',')
			end++;
		else if (*end)
			return -1;
		p = end;
	}
	return value ? -1 : 0;	/* bits left over: the value does not fit */
}

/* Encode "event=0x05,umask=0x1" through <root>/<pmu>/format/<term>. */
static int encode_terms(const char *pmu, char *terms, struct pmu_event *ev,
			char *why, size_t whylen)
{
	char *save = NULL, *term;

	for (term = strtok_r(terms, ",", &save); term; term = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(term, '=');
		char path[512], spec[128];
		uint64_t value = 1;	/* a bare term means 1 */

		if (eq) {
			*eq = '\0';
			value = strtoull(eq + 1, NULL, 0);
		}
		snprintf(path, sizeof(path), "%s/%s/format/%s", events_sysfs_root, pmu, term);
		if (read_small_file(path, spec, sizeof(spec))) {
			snprintf(why, whylen, "PMU %s has no format for term '%s'", pmu, term);
			return -1;
		}
		if (apply_format(spec, value, ev)) {
			snprintf(why, whylen, "PMU %s: cannot encode %s with format '%s'",
				 pmu, term, spec);
			return -1;
		}
	}
	return 0;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int pmu_event_resolve(const char *name, struct pmu_event *ev,
		      char *why, size_t whylen)
{
	struct dirent **pmus;
	int n, i, ret = -1;

	n = scandir(events_sysfs_root, &pmus, NULL, name_cmp);
	if (n < 0) {
		snprintf(why, whylen, "cannot list %s: %s", events_sysfs_root, strerror(errno));
		return -1;
	}
	snprintf(why, whylen, "no PMU under %s has an event named '%s'",
		 events_sysfs_root, name);
	/* the first PMU, in name order, that exports the event serves it */
	for (i = 0; i < n && ret; i++) {
		const char *pmu = pmus[i]->d_name;
		char path[512], terms[256], type[32];

		if (pmu[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/events/%s", events_sysfs_root, pmu, name);
		if (read_small_file(path, terms, sizeof(terms)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/type", events_sysfs_root, pmu);
		if (read_small_file(path, type, sizeof(type))) {
			snprintf(why, whylen, "PMU %s has no readable type file", pmu);
			break;
		}
		memset(ev, 0, sizeof(*ev));
		snprintf(ev->pmu, sizeof(ev->pmu), "%s", pmu);
		ev->type = strtoul(type, NULL, 10);
		ret = encode_terms(pmu, terms, ev, why, whylen);
		if (!ret)
			why[0] = '\0';
		break;
	}
	for (i = 0; i < n; i++)
		free(pmus[i]);
	free(pmus);
	return ret;
}

static int perf_open(struct perf_event_attr *attr)
{
	return syscall(SYS_perf_event_open, attr, 0 /* this task */, -1 /* any CPU */,
		       -1 /* no group */, PERF_FLAG_FD_CLOEXEC);
}

static void why_errno(struct counter *c, int err)
{
	const char *hint = "";

	if (err == ENOENT || err == EOPNOTSUPP)
		hint = " (this machine's PMU does not provide the event)";
	else if (err == EACCES || err == EPERM)
		hint = " (not permitted: see /proc/sys/kernel/perf_event_paranoid)";
	else if (err == ENODEV)
		hint = " (no such PMU on this machine)";
	snprintf(c->unsupported, sizeof(c->unsupported), "perf_event_open: %s%s",
		 strerror(err), hint);
}

static void counter_open(struct counter *c, bool inherit)
{
	struct perf_event_attr attr;
	struct pmu_event pe;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.disabled = 1;
	attr.exclude_hv = 1;
	attr.inherit = inherit;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	switch (c->def->kind) {
	case EV_HARDWARE:
		attr.type = PERF_TYPE_HARDWARE;
		attr.config = c->def->config;
		break;
	case EV_SOFTWARE:
		attr.type = PERF_TYPE_SOFTWARE;
		attr.config = c->def->config;
		break;
	case EV_HW_CACHE:
		attr.type = PERF_TYPE_HW_CACHE;
		attr.config = c->def->config;
		break;
	case EV_NONE:
		return;	/* counters_open() refuses these */
	case EV_PMU:
		if (pmu_event_resolve(c->def->name, &pe, c->unsupported,
				      sizeof(c->unsupported)))
			return;
		snprintf(c->pmu, sizeof(c->pmu), "%s", pe.pmu);
		attr.type = pe.type;
		attr.config = pe.config;
		attr.config1 = pe.config1;
		attr.config2 = pe.config2;
		break;
	}

	if (c->def->split) {
		attr.exclude_kernel = 1;
		c->fd_user = perf_open(&attr);
		attr.exclude_kernel = 0;
		attr.exclude_user = 1;
		c->fd_kernel = c->fd_user < 0 ? -1 : perf_open(&attr);
		attr.exclude_user = 0;
		if (c->fd_user >= 0 && c->fd_kernel >= 0) {
			c->split = true;
			return;
		}
		if (c->fd_user >= 0)
			close(c->fd_user);
		c->fd_user = c->fd_kernel = -1;
	}
	/* the PMU cannot filter by privilege level (or was not asked to) */
	c->fd_user = perf_open(&attr);
	if (c->fd_user < 0)
		why_errno(c, errno);
}

int counters_open(struct counter_set *set, const char *list, bool inherit,
		  char *err, size_t errlen)
{
	char *copy, *save = NULL, *name;
	size_t cap = 0;

	set->n = 0;
	set->c = NULL;
	copy = strdup(list ? list : "");
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		const struct counter_def *def = counter_find(name);
		struct counter *c;
		size_t i;

		if (!def || strcmp(def->name, name)) {
			snprintf(err, errlen, "--events: unknown event '%s' (tlbbench list --events shows the table)",
				 name);
			goto fail;
		}
		if (def->kind == EV_NONE) {
			snprintf(err, errlen, "--events: '%s' is not a perf event: %s provides it",
				 name, def->sources & SRC_MODEL ? "the TLB model (tlbsim)" : "the runner");
			goto fail;
		}
		for (i = 0; i < set->n; i++)
			if (set->c[i].def == def)
				break;
		if (i < set->n) {
			snprintf(err, errlen, "--events: '%s' named twice", name);
			goto fail;
		}
		if (set->n == cap) {
			struct counter *grown;

			cap = cap ? 2 * cap : 16;
			grown = realloc(set->c, cap * sizeof(*grown));
			if (!grown) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			set->c = grown;
		}
		c = &set->c[set->n++];
		memset(c, 0, sizeof(*c));
		c->def = def;
		c->fd_user = c->fd_kernel = -1;
		counter_open(c, inherit);
	}
	free(copy);
	return 0;
fail:
	free(copy);
	counters_close(set);
	return -1;
}

void counters_close(struct counter_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (set->c[i].fd_user >= 0)
			close(set->c[i].fd_user);
		if (set->c[i].fd_kernel >= 0)
			close(set->c[i].fd_kernel);
	}
	free(set->c);
	set->c = NULL;
	set->n = 0;
}

/* The current values of fd, or zeros when it cannot be read now. */
static void read_base(int fd, struct read_value *rv)
{
	memset(rv, 0, sizeof(*rv));
	if (fd >= 0 && read(fd, rv, sizeof(*rv)) != (ssize_t)sizeof(*rv))
		memset(rv, 0, sizeof(*rv));
}

void counters_reset(struct counter_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		read_base(set->c[i].fd_user, &set->c[i].base_user);
		read_base(set->c[i].fd_kernel, &set->c[i].base_kernel);
	}
}

void counters_start(void)
{
	prctl(PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0);
}

void counters_stop(void)
{
	prctl(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0);
}

/* fd's values since the last counters_reset() */
static int read_fd(int fd, const struct read_value *base, struct read_value *rv,
		   char *why, size_t whylen)
{
	ssize_t n = read(fd, rv, sizeof(*rv));

	if (n == (ssize_t)sizeof(*rv)) {
		rv->value -= base->value;
		rv->enabled -= base->enabled;
		rv->running -= base->running;
		return 0;
	}
	snprintf(why, whylen, "read of counter: %s",
		 n < 0 ? strerror(errno) : "short read");
	return -1;
}

struct json_t *counters_read(const struct counter_set *set)
{
	json_t *all = json_object();
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct counter *c = &set->c[i];
		json_t *o = json_object();
		struct read_value u, k;
		char why[192];

		if (c->fd_user < 0) {
			json_object_set_new(o, "unsupported", json_string(c->unsupported));
		} else if (read_fd(c->fd_user, &c->base_user, &u, why, sizeof(why)) ||
			   (c->split && read_fd(c->fd_kernel, &c->base_kernel, &k,
						why, sizeof(why)))) {
			json_object_set_new(o, "unsupported", json_string(why));
		} else {
			uint64_t total = u.value + (c->split ? k.value : 0);

			if (c->split) {
				json_object_set_new(o, "user", json_integer(u.value));
				json_object_set_new(o, "kernel", json_integer(k.value));
			}
			json_object_set_new(o, "total", json_integer(total));
			/* running < enabled means the PMU multiplexed the event */
			json_object_set_new(o, "enabled_ns", json_integer(u.enabled));
			json_object_set_new(o, "running_ns", json_integer(u.running));
			if (c->pmu[0])
				json_object_set_new(o, "pmu", json_string(c->pmu));
		}
		json_object_set_new(all, c->def->name, o);
	}
	return all;
}
