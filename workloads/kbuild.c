// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild: a kernel compile, the benchmark linux-mm reviewers ask for first.
 *
 * It is fork, exec, page faults and short-lived address spaces by the
 * thousand: where TLB coalescing of text and page cache must not cost more
 * than it saves.  The tree is the pinned 6.1 source (make rootfs puts it at
 * /usr/src/linux in the guests' root image), built out of tree in objdir.
 *
 * --build=mini compiles a fixed slice, the objects in mini_objects[] with
 * allnoconfig, by "make <objects>": the top-level make with its probes and
 * dependency walk, then gcc per object.  Setup configures and prepares the
 * tree once, unmeasured; every repetition deletes the objects and builds
 * them again.  Sized to take well under a minute per repetition under TCG.
 * ops = objects.
 *
 * --build=full is defconfig and "make -j<jobs>" of everything, after a
 * "make clean" that is not measured: for hardware and KVM.  ops = 1.
 *
 * The runner counts the whole make process tree (the workload asks for
 * inherited counters).  The sample's elapsed_ns is the real time; its info
 * holds user and system time (user_ns, sys_ns) and the largest RSS of make
 * and every descendant it waited for.  --verify checks that
 * the build produced the expected objects and that they are aarch64 ELF,
 * so a number never times a build that failed.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "workload.h"

enum kbuild_build { BUILD_MINI, BUILD_FULL };

static const char *const build_names[] = { "mini", "full", NULL };

/*
 * The mini slice: memory management, arch mm and a small library file,
 * all built by allnoconfig.  Never change it within a results series: a
 * different slice is a different benchmark.
 */
static const char *const mini_objects[] = {
	"mm/mprotect.o",
	"mm/pgtable-generic.o",
	"arch/arm64/mm/mmu.o",
	"lib/sort.o",
};

#define NR_MINI	(sizeof(mini_objects) / sizeof(mini_objects[0]))

/* What the full build must leave behind. */
static const char *const full_outputs[] = { "vmlinux" };

/* arm64 Image header: "ARM\x64" at offset 0x38 (Documentation/arm64/booting.rst) */
#define ARM64_IMAGE_MAGIC	0x644d5241U
#define ARM64_IMAGE_MAGIC_OFF	0x38

/* A file in objdir that marks it as ours, so teardown may delete it. */
#define OBJDIR_MARK	".tlbbench-kbuild"

struct kbuild_config {
	unsigned int build;
	const char *src;
	const char *objdir;
	const char *cross;
	uint64_t jobs;
};

struct kbuild_state {
	char objdir[512];
	char log[600];
	char jobs[32];
	char cross[160];
	time_t rep_start;	/* outputs must be at least this new */
};

static const struct opt_def kbuild_options[] = {
	{ "build", OPT_ENUM, offsetof(struct kbuild_config, build), "mini",
	  0, 0, build_names, "mini: a fixed slice (allnoconfig); full: defconfig, everything" },
	{ "src", OPT_STRING, offsetof(struct kbuild_config, src), "/usr/src/linux",
	  0, 0, NULL, "kernel source tree (left untouched: the build is out of tree)" },
	{ "objdir", OPT_STRING, offsetof(struct kbuild_config, objdir), NULL,
	  0, 0, NULL, "build folder, deleted at the end (default: /tmp/tlbbench-kbuild-mini, a tmpfs in guests, or /var/tmp/tlbbench-kbuild-full)" },
	{ "cross", OPT_STRING, offsetof(struct kbuild_config, cross), NULL,
	  0, 0, NULL, "CROSS_COMPILE prefix, to build for arm64 on another machine" },
	{ "jobs", OPT_U64, offsetof(struct kbuild_config, jobs), "0",
	  0, 4096, NULL, "make -j; 0: the online CPUs" },
	OPT_END
};

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ULL + (uint64_t)tv->tv_usec * 1000;
}

/* Is "name" an executable in $PATH (or a path to one)? */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[512];

	if (strchr(name, '/'))
		return !access(name, X_OK);
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), p, name);
		if (!access(buf, X_OK))
			return true;
	}
	return false;
}

/* The last lines of the make log on stderr, where a failure is read. */
static void log_tail(const struct kbuild_state *st)
{
	char buf[2048];
	ssize_t n;
	off_t size;
	int fd = open(st->log, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof(buf) - 1)
		lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		fprintf(stderr, "kbuild: end of %s:\n%s\n", st->log, buf);
	}
	close(fd);
}

/*
 * Run the kernel's make with "targets" (NULL-terminated; none: the default
 * target) and wait for it; its output goes to the log.  *ru gets the
 * resource use of make and of every descendant it waited for.
 */
static enum wl_status kmake(struct wl_ctx *ctx, const char *const *targets,
			    struct rusage *ru)
{
	const char *what = targets[0] ? targets[0] : "all";
	const struct kbuild_config *cfg = ctx->config;
	struct kbuild_state *st = ctx->priv;
	char o_arg[600], c_arg[256], j_arg[48];
	const char *argv[32];
	unsigned int n = 0;
	pid_t pid;
	int status;

	snprintf(o_arg, sizeof(o_arg), "O=%s", st->objdir);
	snprintf(j_arg, sizeof(j_arg), "-j%s", st->jobs);
	argv[n++] = "make";
	argv[n++] = "-C";
	argv[n++] = cfg->src;
	argv[n++] = o_arg;
	argv[n++] = "ARCH=arm64";
	if (st->cross[0]) {
		snprintf(c_arg, sizeof(c_arg), "CROSS_COMPILE=%s", st->cross);
		argv[n++] = c_arg;
	}
	/* what goes into the kernel's version string, fixed */
	argv[n++] = "KBUILD_BUILD_USER=tlbbench";
	argv[n++] = "KBUILD_BUILD_HOST=tlbbench";
	argv[n++] = j_arg;
	while (*targets && n < sizeof(argv) / sizeof(argv[0]) - 1)
		argv[n++] = *targets++;
	argv[n] = NULL;

	pid = fork();
	if (pid < 0)
		return wl_fail(ctx, "fork", errno);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int log = open(st->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (null < 0 || log < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 ||
		    dup2(log, 2) < 0)
			_exit(126);
		execvp("make", (char *const *)argv);
		_exit(127);
	}
	while (wait4(pid, &status, 0, ru) < 0)
		if (errno != EINTR)
			return wl_fail(ctx, "wait4 (make)", errno);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return WL_OK;
	log_tail(st);
	if (WIFEXITED(status))
		return wl_reason(ctx, WL_FAIL, "make %s exited %d (log: %s)",
				 what, WEXITSTATUS(status), st->log);
	return wl_reason(ctx, WL_FAIL, "make %s killed by signal %d (log: %s)",
			 what, WTERMSIG(status), st->log);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Delete objdir if it is ours; a folder we did not make is left alone. */
static enum wl_status objdir_remove(struct wl_ctx *ctx, const char *dir)
{
	char mark[600];
	struct stat sb;

	if (lstat(dir, &sb) && errno == ENOENT)
		return WL_OK;
	snprintf(mark, sizeof(mark), "%s/%s", dir, OBJDIR_MARK);
	if (access(mark, F_OK))
		return wl_reason(ctx, WL_FAIL, "objdir %s exists and is not a tlbbench build folder (no %s): refusing to delete it",
				 dir, OBJDIR_MARK);
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS))
		return wl_fail(ctx, "removing the old objdir", errno);
	return WL_OK;
}

static enum wl_status kbuild_setup(struct wl_ctx *ctx)
{
	const struct kbuild_config *cfg = ctx->config;
	struct kbuild_state *st = ctx->priv;
	static const char *const mini_setup[][2] = { { "allnoconfig", NULL }, { "prepare", NULL } };
	static const char *const full_setup[][2] = { { "defconfig", NULL } };
	const char *const (*steps)[2] = cfg->build == BUILD_MINI ? mini_setup : full_setup;
	size_t i, nsteps = cfg->build == BUILD_MINI ? 2 : 1;
	char path[600], cc[200];
	struct utsname u;
	struct rusage ru;
	enum wl_status ret;
	int fd;

	snprintf(path, sizeof(path), "%s/Makefile", cfg->src);
	if (access(path, R_OK))
		return wl_reason(ctx, WL_SKIP, "no kernel source at %s (guests: boot.sh --disk with the image of make rootfs)",
				 cfg->src);
	uname(&u);
	if (cfg->cross)
		snprintf(st->cross, sizeof(st->cross), "%s", cfg->cross);
	else if (strcmp(u.machine, "aarch64"))
		return wl_reason(ctx, WL_SKIP, "this is %s, the build is for arm64: give --cross=aarch64-linux-gnu- to cross-compile",
				 u.machine);
	snprintf(cc, sizeof(cc), "%sgcc", st->cross);
	if (!in_path("make") || !in_path(cc))
		return wl_reason(ctx, WL_SKIP, "make or %s is not installed", cc);
	if (cfg->objdir)
		snprintf(st->objdir, sizeof(st->objdir), "%s", cfg->objdir);
	else
		snprintf(st->objdir, sizeof(st->objdir), "%s",
			 cfg->build == BUILD_MINI ? "/tmp/tlbbench-kbuild-mini" :
			 "/var/tmp/tlbbench-kbuild-full");
	if (st->objdir[0] != '/')
		return wl_reason(ctx, WL_FAIL, "objdir %s: give an absolute path", st->objdir);
	snprintf(st->jobs, sizeof(st->jobs), "%llu", (unsigned long long)
		 (cfg->jobs ? cfg->jobs : (uint64_t)sysconf(_SC_NPROCESSORS_ONLN)));
	snprintf(st->log, sizeof(st->log), "%s/%s/make.log", st->objdir, OBJDIR_MARK);

	/* a fresh folder every run: nothing left from another run is reused */
	ret = objdir_remove(ctx, st->objdir);
	if (ret != WL_OK)
		return ret;
	if (mkdir(st->objdir, 0755))
		return wl_fail(ctx, "mkdir objdir", errno);
	snprintf(path, sizeof(path), "%s/%s", st->objdir, OBJDIR_MARK);
	if (mkdir(path, 0755))
		return wl_fail(ctx, "mkdir objdir mark", errno);
	fd = open(st->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return wl_fail(ctx, "creating the make log", errno);
	close(fd);

	for (i = 0; i < nsteps; i++) {
		fprintf(stderr, "kbuild: setup: make %s (log: %s)\n", steps[i][0], st->log);
		ret = kmake(ctx, steps[i], &ru);
		if (ret != WL_OK)
			return ret;
	}
	return WL_OK;
}

static enum wl_status kbuild_prepare(struct wl_ctx *ctx)
{
	const struct kbuild_config *cfg = ctx->config;
	struct kbuild_state *st = ctx->priv;
	static const char *const clean[] = { "clean", NULL };
	char path[700];
	struct rusage ru;
	size_t i;

	st->rep_start = time(NULL);
	if (cfg->build == BUILD_FULL)
		return kmake(ctx, clean, &ru);
	/* the slice is built again from its sources every repetition */
	for (i = 0; i < NR_MINI; i++) {
		snprintf(path, sizeof(path), "%s/%s", st->objdir, mini_objects[i]);
		if (unlink(path) && errno != ENOENT)
			return wl_fail(ctx, "unlink of a slice object", errno);
	}
	return WL_OK;
}

static enum wl_status kbuild_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct kbuild_config *cfg = ctx->config;
	static const char *const all[] = { NULL };
	struct rusage ru = { 0 };
	enum wl_status ret;
	const char *targets[NR_MINI + 1];
	size_t i;

	for (i = 0; i < NR_MINI; i++)
		targets[i] = mini_objects[i];
	targets[NR_MINI] = NULL;
	ret = kmake(ctx, cfg->build == BUILD_MINI ? targets : all, &ru);
	if (ret != WL_OK)
		return ret;
	json_object_set_new(ctx->sample_info, "user_ns", json_integer(tv_ns(&ru.ru_utime)));
	json_object_set_new(ctx->sample_info, "sys_ns", json_integer(tv_ns(&ru.ru_stime)));
	json_object_set_new(ctx->sample_info, "maxrss_kb", json_integer(ru.ru_maxrss));
	*ops = cfg->build == BUILD_MINI ? NR_MINI : 1;
	return wl_verify_point(ctx);
}

/*
 * path must be an aarch64 ELF file written by this build: a relocatable
 * object, or (linked) an executable or, relocatable kernels, a shared one.
 */
static enum wl_status check_elf(struct wl_ctx *ctx, const char *path, bool linked)
{
	const struct kbuild_state *st = ctx->priv;
	Elf64_Ehdr eh;
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return wl_reason(ctx, WL_FAIL, "%s: the build did not produce it (%s)", path,
				 strerror(errno));
	n = read(fd, &eh, sizeof(eh));
	if (fstat(fd, &sb))
		sb.st_mtime = 0;
	close(fd);
	if (n != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return wl_reason(ctx, WL_FAIL, "%s: not a 64-bit little-endian ELF file", path);
	if (eh.e_machine != EM_AARCH64)
		return wl_reason(ctx, WL_FAIL, "%s: ELF machine %u, expected aarch64 (%u)",
				 path, eh.e_machine, EM_AARCH64);
	if (linked ? eh.e_type != ET_EXEC && eh.e_type != ET_DYN : eh.e_type != ET_REL)
		return wl_reason(ctx, WL_FAIL, "%s: ELF type %u, expected %s", path, eh.e_type,
				 linked ? "an executable" : "a relocatable object");
	if (eh.e_shnum == 0)
		return wl_reason(ctx, WL_FAIL, "%s: ELF file without sections", path);
	if (sb.st_mtime < st->rep_start)
		return wl_reason(ctx, WL_FAIL, "%s: older than this repetition: not rebuilt", path);
	return WL_OK;
}

static enum wl_status check_image(struct wl_ctx *ctx)
{
	const struct kbuild_state *st = ctx->priv;
	char path[700];
	uint32_t magic = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/arch/arm64/boot/Image", st->objdir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wl_reason(ctx, WL_FAIL, "%s: the build did not produce it (%s)", path,
				 strerror(errno));
	if (pread(fd, &magic, sizeof(magic), ARM64_IMAGE_MAGIC_OFF) != sizeof(magic))
		magic = 0;
	close(fd);
	if (magic != ARM64_IMAGE_MAGIC)
		return wl_reason(ctx, WL_FAIL, "%s: no arm64 Image header", path);
	return WL_OK;
}

static enum wl_status kbuild_verify(struct wl_ctx *ctx)
{
	const struct kbuild_config *cfg = ctx->config;
	const struct kbuild_state *st = ctx->priv;
	char path[700];
	enum wl_status ret = WL_OK;
	size_t i;

	if (cfg->build == BUILD_FULL) {
		for (i = 0; ret == WL_OK && i < sizeof(full_outputs) / sizeof(full_outputs[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", st->objdir, full_outputs[i]);
			ret = check_elf(ctx, path, true);
		}
		return ret == WL_OK ? check_image(ctx) : ret;
	}
	for (i = 0; ret == WL_OK && i < NR_MINI; i++) {
		snprintf(path, sizeof(path), "%s/%s", st->objdir, mini_objects[i]);
		ret = check_elf(ctx, path, false);
	}
	return ret;
}

static void kbuild_teardown(struct wl_ctx *ctx)
{
	struct kbuild_state *st = ctx->priv;

	if (st->objdir[0] && objdir_remove(ctx, st->objdir) != WL_OK)
		fprintf(stderr, "kbuild: teardown: %s\n", ctx->reason);
}

const struct workload wl_kbuild = {
	.name = "kbuild",
	.summary = "compile a kernel slice (mini) or defconfig (full) with make (ops = objects or builds)",
	.options = kbuild_options,
	.config_size = sizeof(struct kbuild_config),
	.priv_size = sizeof(struct kbuild_state),
	.inherit = true,
	.setup = kbuild_setup,
	.prepare = kbuild_prepare,
	.run = kbuild_run,
	.verify = kbuild_verify,
	.teardown = kbuild_teardown,
};
