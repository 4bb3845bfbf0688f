// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by workloads: aligned address reservation and the worker
 * threads of the threaded variants.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#include <jansson.h>

#include "wlib.h"

enum wl_status wl_find_aligned(struct wl_ctx *ctx, size_t len, size_t align,
			       void **addr)
{
	size_t span = len + align;
	uintptr_t start;
	void *p;

	p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return wl_fail(ctx, "mmap (address reservation)", errno);
	start = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	if (munmap(p, span))
		return wl_fail(ctx, "munmap (address reservation)", errno);
	*addr = (void *)start;
	return WL_OK;
}

/* Pin the calling thread to cpu; the CPU it got, or -1 if not pinned. */
static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu;
}

/* The one CPU the calling thread may run on (the runner pinned it), or -1. */
static int sole_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set) || CPU_COUNT(&set) != 1)
		return -1;
	for (cpu = 0; !CPU_ISSET(cpu, &set); cpu++)
		;
	return cpu;
}

static void run_phase(struct wl_worker *w)
{
	w->ops = 0;
	w->ctx.reason[0] = '\0';
	w->ret = w->pool->fn(&w->ctx, w->t, &w->ops);
}

static void *worker(void *arg)
{
	struct wl_worker *w = arg;
	struct wl_threads *th = w->pool;
	unsigned int seen = 0;

	if (w->cpu >= 0)
		w->cpu = pin(w->cpu);
	for (;;) {
		pthread_mutex_lock(&th->lock);
		while (th->phase == seen)
			pthread_cond_wait(&th->cond, &th->lock);
		seen = th->phase;
		pthread_mutex_unlock(&th->lock);
		if (!th->fn)
			return NULL;
		run_phase(w);
		pthread_mutex_lock(&th->lock);
		th->finished++;
		pthread_cond_broadcast(&th->cond);
		pthread_mutex_unlock(&th->lock);
	}
}

/* Start a phase in every worker. */
static void release(struct wl_threads *th, wl_thread_fn fn)
{
	pthread_mutex_lock(&th->lock);
	th->fn = fn;
	th->finished = 0;
	th->phase++;
	pthread_cond_broadcast(&th->cond);
	pthread_mutex_unlock(&th->lock);
}

enum wl_status wl_threads_start(struct wl_ctx *ctx, struct wl_threads *th, unsigned int n)
{
	int online = get_nprocs(), cpu0 = sched_getcpu(), sole = sole_cpu();
	unsigned int t;
	int err;

	memset(th, 0, sizeof(*th));
	pthread_mutex_init(&th->lock, NULL);
	pthread_cond_init(&th->cond, NULL);
	th->n = n;
	/* one CPU each when there are enough, counting on from thread 0's */
	for (t = 0; t < n; t++) {
		th->w[t].pool = th;
		th->w[t].t = t;
		th->w[t].ctx = *ctx;
		th->w[t].cpu = n > 1 && (int)n <= online && cpu0 >= 0 ?
			(cpu0 + (int)t) % online : -1;
	}
	if (th->w[0].cpu >= 0)
		th->w[0].cpu = pin(th->w[0].cpu);
	/* threads left unpinned here run where the runner put thread 0 */
	for (t = 0; t < n; t++)
		if (th->w[t].cpu < 0)
			th->w[t].cpu = sole;
	for (t = 1; t < n; t++) {
		err = pthread_create(&th->w[t].tid, NULL, worker, &th->w[t]);
		if (err)
			return wl_fail(ctx, "pthread_create", err);
		th->running++;
	}
	return WL_OK;
}

enum wl_status wl_threads_run(struct wl_ctx *ctx, struct wl_threads *th, wl_thread_fn fn,
			      uint64_t *ops)
{
	enum wl_status ret = WL_OK;
	unsigned int t;

	for (t = 0; t < th->n; t++)
		th->w[t].ctx = *ctx;
	release(th, fn);
	run_phase(&th->w[0]);
	pthread_mutex_lock(&th->lock);
	while (th->finished < th->running)
		pthread_cond_wait(&th->cond, &th->lock);
	pthread_mutex_unlock(&th->lock);
	for (t = 0; t < th->n; t++) {
		*ops += th->w[t].ops;
		if (th->w[t].ret != WL_OK && ret == WL_OK) {
			ret = th->w[t].ret;
			snprintf(ctx->reason, sizeof(ctx->reason), "thread %u: %s", t,
				 th->w[t].ctx.reason);
		}
	}
	return ret;
}

void wl_threads_info(struct wl_ctx *ctx, const struct wl_threads *th)
{
	json_t *cpus = json_array();
	unsigned int t;

	for (t = 0; t < th->n; t++)
		json_array_append_new(cpus, th->w[t].cpu >= 0 ?
				      json_integer(th->w[t].cpu) : json_null());
	json_object_set_new(ctx->sample_info, "threads", json_integer(th->n));
	json_object_set_new(ctx->sample_info, "cpus", cpus);
}

void wl_threads_stop(struct wl_threads *th)
{
	unsigned int t;

	if (!th->n)
		return;
	release(th, NULL);
	for (t = 1; t <= th->running; t++)
		pthread_join(th->w[t].tid, NULL);
	pthread_cond_destroy(&th->cond);
	pthread_mutex_destroy(&th->lock);
	th->n = th->running = 0;
}
