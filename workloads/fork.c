// SPDX-License-Identifier: GPL-2.0
/*
 * fork: what a parent's populated memory costs at fork, exit and wait.
 *
 * Setup maps and fills "bytes" of the chosen backing.  Each repetition
 * forks "forks" children one after the other and waits for each.  A child
 * either exits at once (the cost is copying and then zapping the page
 * tables) or first writes one word into each of the first write_pct
 * percent of the pages (copy-on-write faults, which break contiguity for
 * good on 6.1).  ops = forks.  Under --verify each child checks the data
 * it inherited before writing, and exits non-zero if it is wrong, and the
 * parent checks afterwards that no child's write reached its pages.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backing.h"
#include "wlib.h"
#include "workload.h"

enum { CHILD_EXIT, CHILD_WRITE };

static const char *const child_names[] = { "exit", "write", NULL };

struct fork_config {
	uint64_t bytes;
	uint64_t forks;
	uint64_t write_pct;
	unsigned int backing;
	unsigned int tmpfs_huge;
	unsigned int child;
};

static const struct opt_def fork_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct fork_config, bytes), "16M",
	  2 << 20, 64ULL << 30, NULL, "populated memory of the parent" },
	{ "forks", OPT_U64, offsetof(struct fork_config, forks), "4",
	  1, 100000, NULL, "children per repetition, one at a time" },
	{ "write_pct", OPT_U64, offsetof(struct fork_config, write_pct), "50",
	  0, 100, NULL, "percent of the pages a writing child touches" },
	{ "backing", OPT_ENUM, offsetof(struct fork_config, backing), "anon-4k",
	  0, 0, wl_backing_names, "what provides the memory" },
	WL_OPT_TMPFS_HUGE(struct fork_config, tmpfs_huge),
	{ "child", OPT_ENUM, offsetof(struct fork_config, child), "exit",
	  0, 0, child_names, "what each child does before exiting" },
	OPT_END
};

/* Exit codes of a child, read by the parent. */
#define CHILD_OK	0
#define CHILD_BAD_DATA	3

static enum wl_status fork_setup(struct wl_ctx *ctx)
{
	const struct fork_config *cfg = ctx->config;
	enum wl_status ret;

	/* a shared mapping has no copy-on-write: the child's writes are the parent's */
	if (cfg->child == CHILD_WRITE && wl_backing_is_file(cfg->backing))
		return wl_reason(ctx, WL_SKIP, "child=write: %s is a MAP_SHARED backing, without copy-on-write",
				 wl_backing_names[cfg->backing]);
	ret = wl_mapping_init(ctx, ctx->priv, cfg->backing, cfg->tmpfs_huge, cfg->bytes);
	return ret == WL_OK ? wl_mapping_populate(ctx, ctx->priv) : ret;
}

static enum wl_status fork_prepare(struct wl_ctx *ctx)
{
	return wl_mapping_prove(ctx, ctx->priv);
}

static void child(struct wl_ctx *ctx)
{
	const struct fork_config *cfg = ctx->config;
	struct wl_mapping *m = ctx->priv;
	size_t i, n = m->len / ctx->page_size;

	if (ctx->verify && wl_mapping_check(ctx, m, 0, n) != WL_OK)
		_exit(CHILD_BAD_DATA);
	if (cfg->child == CHILD_WRITE)
		for (i = 0; i < n * cfg->write_pct / 100; i++)
			m->addr[i * ctx->page_size + sizeof(uint64_t)] = 1;
	_exit(CHILD_OK);
}

static enum wl_status fork_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct fork_config *cfg = ctx->config;
	uint64_t f;

	for (f = 0; f < cfg->forks; f++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return wl_fail(ctx, "fork", errno);
		if (pid == 0)
			child(ctx);
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				return wl_fail(ctx, "waitpid", errno);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_OK)
			return wl_reason(ctx, WL_FAIL, "child %s %d%s",
					 WIFEXITED(st) ? "exited" : "killed by signal",
					 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
					 WIFEXITED(st) && WEXITSTATUS(st) == CHILD_BAD_DATA ?
					 " (inherited data did not verify)" : "");
	}
	*ops = cfg->forks;
	return wl_verify_point(ctx);
}

static enum wl_status fork_verify(struct wl_ctx *ctx)
{
	struct wl_mapping *m = ctx->priv;
	size_t i, n = m->len / ctx->page_size;
	enum wl_status ret = wl_mapping_check(ctx, m, 0, n);

	/* copy-on-write: the byte a writing child set is still 0 here */
	for (i = 0; ret == WL_OK && i < n; i++)
		if (m->addr[i * ctx->page_size + sizeof(uint64_t)])
			ret = wl_reason(ctx, WL_FAIL, "page %zu: a child's write reached the parent", i);
	return ret;
}

static void fork_teardown(struct wl_ctx *ctx)
{
	wl_mapping_release(ctx, ctx->priv);
}

const struct workload wl_fork = {
	.name = "fork",
	.summary = "fork a parent with populated memory, child exits or writes (ops = forks)",
	.op = "fork",
	.options = fork_options,
	.config_size = sizeof(struct fork_config),
	.priv_size = sizeof(struct wl_mapping),
	.setup = fork_setup,
	.prepare = fork_prepare,
	.run = fork_run,
	.verify = fork_verify,
	.teardown = fork_teardown,
};
