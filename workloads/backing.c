// SPDX-License-Identifier: GPL-2.0
/*
 * Backings and the mapping proof.
 *
 * The proof reads, for every page of the range, the PFN from
 * /proc/self/pagemap and that frame's flags from /proc/kpageflags, and
 * from them the order of the folio each page belongs to (compound head
 * plus its tails); /proc/self/smaps gives the PMD-mapped THP size and the
 * page size the kernel maps the VMA with.  Reading PFNs needs
 * CAP_SYS_ADMIN: without it the proof cannot be made and the run is
 * skipped, never reported as proven.
 *
 * File backings map a file MAP_SHARED, at the same fixed aligned addresses:
 * tmpfs mounted by the process itself with the huge= asked for, and XFS on
 * a loop device over an image the harness provides ($TLBBENCH_XFS_IMAGE).
 * Both mounts live in a private mount namespace, so they vanish with the
 * process whatever happens to it; the loop device is set to clear itself
 * when unmounted.
 *
 * anon-64k needs a kernel that allocates anonymous 64K folios: the 6.1
 * contpte series' knob /sys/kernel/mm/contpte/anon_folio_order (0 off,
 * 4 = 64K; kernel-6.1-plan.md, section D), or upstream's mTHP control
 * /sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled (6.8+).  The
 * knob is set for the run and restored after it.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/mman.h>
#include <linux/loop.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <jansson.h>

#include "backing.h"
#include "contpte.h"
#include "env.h"
#include "wlib.h"

const char *const wl_backing_names[] = {
	[BACKING_ANON_4K] = "anon-4k",
	[BACKING_ANON_64K] = "anon-64k",
	[BACKING_ANON_THP] = "anon-thp",
	[BACKING_ANON_THP_PTE] = "anon-thp-pte",
	[BACKING_HUGETLB_64K] = "hugetlb-64k",
	[BACKING_HUGETLB_2M] = "hugetlb-2m",
	[BACKING_TMPFS] = "tmpfs",
	[BACKING_XFS] = "xfs",
	[BACKING_NR] = NULL,
};

const char *const wl_tmpfs_huge_names[] = {
	[TMPFS_HUGE_NEVER] = "never",
	[TMPFS_HUGE_ALWAYS] = "always",
	[TMPFS_HUGE_WITHIN_SIZE] = "within_size",
	[TMPFS_HUGE_ADVISE] = "advise",
	NULL,
};

enum wl_backing wl_backing_from_name(const char *name)
{
	int b;

	for (b = 0; b < BACKING_NR; b++)
		if (!strcmp(wl_backing_names[b], name))
			break;
	/* choices tables are built from these names: a miss is a typo in code */
	assert(b < BACKING_NR);
	return b;
}

/* pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_PRESENT	(1ULL << 63)
/* kpageflags bits (include/uapi/linux/kernel-page-flags.h) */
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_THP			22

#define MAX_FOLIO_PAGES	(1UL << 18)	/* 1G of 4K pages: the largest folio we follow */
#define CONT_PAGES	16		/* PTEs in one arm64 contiguous block (4K granule) */

static size_t backing_unit(enum wl_backing b)
{
	switch (b) {
	case BACKING_HUGETLB_64K:
	case BACKING_ANON_64K:
		return 64UL << 10;
	case BACKING_ANON_THP:
	case BACKING_ANON_THP_PTE:
	case BACKING_HUGETLB_2M:
		return WL_PMD_SIZE;
	default:
		return 0;	/* the page size */
	}
}

static int read_sysfs_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static enum wl_status check_thp(struct wl_ctx *ctx)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return wl_reason(ctx, WL_SKIP, "kernel has no transparent hugepages");
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (strstr(buf, "[never]"))
		return wl_reason(ctx, WL_SKIP, "transparent_hugepage/enabled is never");
	return WL_OK;
}

static enum wl_status check_hugetlb(struct wl_ctx *ctx, size_t size, size_t len)
{
	char path[128];
	uint64_t free_pages;

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%zukB/free_hugepages",
		 size >> 10);
	if (read_sysfs_u64(path, &free_pages))
		return wl_reason(ctx, WL_SKIP, "kernel has no %zukB hugetlb pages", size >> 10);
	if (free_pages * size < len)
		return wl_reason(ctx, WL_SKIP,
				 "%" PRIu64 " free %zukB hugetlb pages, %zu needed (nr_hugepages)",
				 free_pages, size >> 10, len / size);
	return WL_OK;
}

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		err = -errno;
	close(fd);
	return err;
}

/*
 * Process-wide state behind the mappings of one run (a threaded run has one
 * mapping per thread): the anon-64k knob and the file backings' mount.
 */
#define CONTPTE_ORDER_KNOB	"/sys/kernel/mm/contpte/anon_folio_order"
#define MTHP_KNOB		"/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
#define PMD_MTHP_KNOB		"/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled"
#define THP_KNOB		"/sys/kernel/mm/transparent_hugepage/enabled"

static struct {
	int refs;
	const char *path;	/* the knob set */
	char saved[64];		/* its value before */
	char set[16];		/* the value written */
} knob;

static struct {
	int refs;
	enum wl_backing kind;
	enum wl_tmpfs_huge huge;
	char dir[64];		/* mount point */
	char options[64];	/* mount options as given to mount(2) */
	char loop[32];		/* XFS: the loop device */
	char image[256];	/* XFS: the image file */
	long read_ahead_kb;	/* XFS: of the loop device, -1 if unknown */
	unsigned int files;	/* files created so far */
} fs;

static enum wl_status knob_get(struct wl_ctx *ctx)
{
	char global[32] = "", pmd[32] = "";
	int err;

	if (knob.refs++)
		return WL_OK;
	if (!access(CONTPTE_ORDER_KNOB, F_OK)) {
		knob.path = CONTPTE_ORDER_KNOB;
		snprintf(knob.set, sizeof(knob.set), "4");
	} else if (!access(MTHP_KNOB, F_OK)) {
		/* a PMD THP would take a 2M-aligned range before 64K does */
		env_read_sysfs_choice(THP_KNOB, global, sizeof(global));
		env_read_sysfs_choice(PMD_MTHP_KNOB, pmd, sizeof(pmd));
		if (!strcmp(pmd, "always") || (!strcmp(pmd, "inherit") && !strcmp(global, "always"))) {
			knob.refs--;
			return wl_reason(ctx, WL_SKIP, "anon-64k: PMD-size THP is 'always' here (%s), it would take the range first",
					 PMD_MTHP_KNOB);
		}
		knob.path = MTHP_KNOB;
		snprintf(knob.set, sizeof(knob.set), "always");
	} else {
		knob.refs--;
		return wl_reason(ctx, WL_SKIP, "anon-64k: kernel has no anonymous 64K folios (neither %s nor %s)",
				 CONTPTE_ORDER_KNOB, MTHP_KNOB);
	}
	if (env_read_sysfs_choice(knob.path, knob.saved, sizeof(knob.saved))) {
		knob.refs--;
		return wl_fail(ctx, knob.path, errno);
	}
	err = write_str(knob.path, knob.set);
	if (err) {
		knob.refs--;
		return wl_reason(ctx, err == -EACCES || err == -EPERM ? WL_SKIP : WL_FAIL,
				 "anon-64k: write %s to %s: %s", knob.set, knob.path, strerror(-err));
	}
	return WL_OK;
}

static void knob_put(void)
{
	if (--knob.refs)
		return;
	/* restore what was there; nothing to do about a failure here */
	write_str(knob.path, knob.saved);
}

/* Attach the image to a free loop device that clears itself on umount. */
static enum wl_status loop_attach(struct wl_ctx *ctx, const char *image)
{
	struct loop_config lc;
	int ctl, lfd = -1, ifd, n, tries;
	enum wl_status ret = WL_OK;

	ifd = open(image, O_RDWR | O_CLOEXEC);
	if (ifd < 0)
		return wl_reason(ctx, WL_SKIP, "xfs: open %s ($%s): %s", image,
				 WL_XFS_IMAGE_ENV, strerror(errno));
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		ret = wl_reason(ctx, WL_SKIP, "xfs: open /dev/loop-control: %s (kernel without loop devices?)",
				strerror(errno));
		goto out;
	}
	/* another process may take the free device first: try again */
	for (tries = 0; tries < 8; tries++) {
		n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0) {
			ret = wl_fail(ctx, "xfs: LOOP_CTL_GET_FREE", errno);
			goto out;
		}
		snprintf(fs.loop, sizeof(fs.loop), "/dev/loop%d", n);
		lfd = open(fs.loop, O_RDWR | O_CLOEXEC);
		if (lfd < 0) {
			ret = wl_fail(ctx, fs.loop, errno);
			goto out;
		}
		memset(&lc, 0, sizeof(lc));
		lc.fd = ifd;
		lc.info.lo_flags = LO_FLAGS_AUTOCLEAR;
		if (!ioctl(lfd, LOOP_CONFIGURE, &lc))
			break;
		close(lfd);
		lfd = -1;
		if (errno != EBUSY) {
			ret = wl_fail(ctx, "xfs: LOOP_CONFIGURE", errno);
			goto out;
		}
	}
	if (lfd < 0)
		ret = wl_reason(ctx, WL_FAIL, "xfs: no free loop device after %d tries", tries);
out:
	/*
	 * The device holds the image open; it stays bound until the mount
	 * (which holds the device) goes, then clears itself.
	 */
	if (ret == WL_OK && mount(fs.loop, fs.dir, "xfs", 0, fs.options))
		ret = errno == ENODEV ?
			wl_reason(ctx, WL_SKIP, "xfs: kernel has no XFS (mount: %s)", strerror(errno)) :
			wl_reason(ctx, WL_FAIL, "xfs: mount %s (%s) on %s: %s", fs.loop, image,
				  fs.dir, strerror(errno));
	if (lfd >= 0)
		close(lfd);
	if (ctl >= 0)
		close(ctl);
	close(ifd);
	return ret;
}

static long loop_read_ahead_kb(void)
{
	char path[96];
	uint64_t v;

	snprintf(path, sizeof(path), "/sys/block/%s/queue/read_ahead_kb", fs.loop + 5);
	return read_sysfs_u64(path, &v) ? -1 : (long)v;
}

static enum wl_status fs_mount(struct wl_ctx *ctx, enum wl_backing kind, enum wl_tmpfs_huge huge)
{
	const char *image = getenv(WL_XFS_IMAGE_ENV);
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	enum wl_status ret;

	if (kind == BACKING_XFS && (!image || !*image))
		return wl_reason(ctx, WL_SKIP, "xfs: no image: set $%s to an empty XFS image (make xfs-image)",
				 WL_XFS_IMAGE_ENV);
	/* mounts made from here on are this process's alone */
	if (unshare(CLONE_NEWNS))
		return wl_reason(ctx, errno == EPERM ? WL_SKIP : WL_FAIL,
				 "%s: unshare(CLONE_NEWNS): %s (mounting needs root)",
				 wl_backing_names[kind], strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return wl_fail(ctx, "mount --make-rprivate /", errno);
	snprintf(fs.dir, sizeof(fs.dir), "%s/tlbbench-%s-XXXXXX", tmp, wl_backing_names[kind]);
	if (!mkdtemp(fs.dir))
		return wl_fail(ctx, "mkdtemp (mount point)", errno);
	fs.kind = kind;
	fs.huge = huge;
	fs.read_ahead_kb = -1;
	if (kind == BACKING_TMPFS) {
		snprintf(fs.options, sizeof(fs.options), "huge=%s,mode=0700",
			 wl_tmpfs_huge_names[huge]);
		if (mount("tlbbench", fs.dir, "tmpfs", 0, fs.options)) {
			ret = wl_reason(ctx, errno == EINVAL ? WL_SKIP : WL_FAIL,
					"tmpfs: mount -o %s: %s%s", fs.options, strerror(errno),
					errno == EINVAL ? " (kernel without huge tmpfs?)" : "");
			rmdir(fs.dir);
			return ret;
		}
		return WL_OK;
	}
	snprintf(fs.image, sizeof(fs.image), "%s", image);
	fs.options[0] = '\0';
	ret = loop_attach(ctx, image);
	if (ret != WL_OK) {
		rmdir(fs.dir);
		return ret;
	}
	fs.read_ahead_kb = loop_read_ahead_kb();
	return WL_OK;
}

static void fs_put(void)
{
	if (--fs.refs)
		return;
	/* the namespace takes the mount with it anyway; this frees the loop device now */
	if (umount2(fs.dir, 0))
		umount2(fs.dir, MNT_DETACH);
	rmdir(fs.dir);
}

/* The file of one mapping: len bytes of holes, so reads see zeros. */
static enum wl_status fs_file(struct wl_ctx *ctx, struct wl_mapping *m)
{
	struct statvfs sv;
	char path[96];

	if (statvfs(fs.dir, &sv))
		return wl_fail(ctx, "statvfs", errno);
	if ((uint64_t)sv.f_bavail * sv.f_frsize < m->len + (1UL << 20))
		return wl_reason(ctx, WL_SKIP, "%s: %llu MiB free on the filesystem, %zu MiB needed",
				 wl_backing_names[m->backing],
				 (unsigned long long)sv.f_bavail * sv.f_frsize >> 20,
				 (m->len >> 20) + 1);
	snprintf(path, sizeof(path), "%s/m%u", fs.dir, fs.files++);
	m->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (m->fd < 0)
		return wl_fail(ctx, "open (backing file)", errno);
	/* the file is only a name's worth of mount: unlinked, it goes with the fd */
	if (unlink(path))
		return wl_fail(ctx, "unlink (backing file)", errno);
	if (ftruncate(m->fd, m->len))
		return wl_fail(ctx, "ftruncate (backing file)", errno);
	return WL_OK;
}

static enum wl_status fs_get(struct wl_ctx *ctx, struct wl_mapping *m,
			     enum wl_tmpfs_huge huge)
{
	enum wl_status ret;

	if (fs.refs && (fs.kind != m->backing || fs.huge != huge))
		return wl_reason(ctx, WL_FAIL, "one run has one file backing");
	if (!fs.refs) {
		ret = fs_mount(ctx, m->backing, huge);
		if (ret != WL_OK)
			return ret;
	}
	fs.refs++;
	m->held = true;
	return fs_file(ctx, m);
}

enum wl_status wl_mapping_init(struct wl_ctx *ctx, struct wl_mapping *m,
			       enum wl_backing backing, enum wl_tmpfs_huge huge, size_t len)
{
	size_t unit = backing_unit(backing) ? backing_unit(backing) : (size_t)ctx->page_size;
	enum wl_status ret = WL_OK;
	void *addr;

	m->backing = backing;
	m->tmpfs_huge = huge;
	m->len = len;
	m->mapped = false;
	m->held = false;
	m->fd = -1;
	if (len % unit)
		return wl_reason(ctx, WL_FAIL, "%zu bytes is not a multiple of %zu, the unit of backing %s",
				 len, unit, wl_backing_names[backing]);
	switch (backing) {
	case BACKING_ANON_THP:
	case BACKING_ANON_THP_PTE:
		ret = check_thp(ctx);
		break;
	case BACKING_ANON_64K:
		ret = knob_get(ctx);
		m->held = ret == WL_OK;
		break;
	case BACKING_HUGETLB_64K:
	case BACKING_HUGETLB_2M:
		ret = check_hugetlb(ctx, unit, len);
		break;
	case BACKING_TMPFS:
	case BACKING_XFS:
		ret = fs_get(ctx, m, huge);
		break;
	default:
		break;
	}
	if (ret != WL_OK)
		return ret;
	/* 2M alignment for all: a range starts at a pte-page boundary */
	ret = wl_find_aligned(ctx, len, WL_PMD_SIZE, &addr);
	m->addr = addr;
	return ret;
}

enum wl_status wl_mapping_init_many(struct wl_ctx *ctx, struct wl_mapping *m, unsigned int n,
				    enum wl_backing backing, enum wl_tmpfs_huge huge, size_t len)
{
	size_t step = (len + WL_PMD_SIZE - 1) & ~(WL_PMD_SIZE - 1);
	enum wl_status ret = WL_OK;
	unsigned int t;
	void *base;

	for (t = 0; t < n && ret == WL_OK; t++)
		ret = wl_mapping_init(ctx, &m[t], backing, huge, len);
	if (ret == WL_OK && n > 1)
		ret = wl_find_aligned(ctx, step * n, WL_PMD_SIZE, &base);
	for (t = 0; t < n && ret == WL_OK && n > 1; t++)
		m[t].addr = (char *)base + t * step;
	return ret;
}

void wl_mapping_release(struct wl_ctx *ctx, struct wl_mapping *m)
{
	wl_mapping_unmap(ctx, m);
	/* a mapping setup never reached holds nothing (and fd 0 is not its) */
	if (m->held && m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	if (m->held && m->backing == BACKING_ANON_64K)
		knob_put();
	else if (m->held)
		fs_put();
	m->held = false;
}

enum wl_status wl_mapping_map(struct wl_ctx *ctx, struct wl_mapping *m)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, advice = -1;
	void *p;

	switch (m->backing) {
	case BACKING_HUGETLB_64K:
		flags |= MAP_HUGETLB | MAP_HUGE_64KB;
		break;
	case BACKING_HUGETLB_2M:
		flags |= MAP_HUGETLB | MAP_HUGE_2MB;
		break;
	case BACKING_TMPFS:
	case BACKING_XFS:
		flags = MAP_SHARED | MAP_FIXED_NOREPLACE;
		/*
		 * huge=advise needs the hint; on XFS it makes faults read
		 * ahead in PMD-size folios (do_sync_mmap_readahead)
		 */
		if (m->backing == BACKING_XFS || m->tmpfs_huge == TMPFS_HUGE_ADVISE)
			advice = MADV_HUGEPAGE;
		break;
	case BACKING_ANON_4K:
		advice = MADV_NOHUGEPAGE;
		break;
	case BACKING_ANON_THP:
	case BACKING_ANON_THP_PTE:
		advice = MADV_HUGEPAGE;
		break;
	default:
		break;
	}
	p = mmap(m->addr, m->len, PROT_READ | PROT_WRITE, flags, m->fd, 0);
	if (p == MAP_FAILED)
		return wl_fail(ctx, "mmap", errno);
	if (p != m->addr) {
		munmap(p, m->len);
		return wl_reason(ctx, WL_FAIL, "mmap: got %p, asked for %p", p, m->addr);
	}
	m->mapped = true;
	if (advice >= 0 && madvise(p, m->len, advice))
		return wl_fail(ctx, advice == MADV_HUGEPAGE ? "madvise(MADV_HUGEPAGE)" :
			       "madvise(MADV_NOHUGEPAGE)", errno);
	return WL_OK;
}

enum wl_status wl_mapping_finish(struct wl_ctx *ctx, struct wl_mapping *m)
{
	size_t off;

	if (m->backing != BACKING_ANON_THP_PTE)
		return WL_OK;
	/*
	 * A protection change on one page splits the PMD mapping of its 2M
	 * THP into 512 PTEs and leaves the folio whole; restoring it merges
	 * the VMAs again but the PTEs stay.
	 */
	for (off = 0; off < m->len; off += WL_PMD_SIZE) {
		char *last = m->addr + off + WL_PMD_SIZE - ctx->page_size;

		if (mprotect(last, ctx->page_size, PROT_READ))
			return wl_fail(ctx, "mprotect (THP split)", errno);
		if (mprotect(last, ctx->page_size, PROT_READ | PROT_WRITE))
			return wl_fail(ctx, "mprotect (THP split, restore)", errno);
	}
	/*
	 * khugepaged would collapse the split folios back under PMDs (seen
	 * within a run); VM_NOHUGEPAGE makes it skip the range, and the
	 * folios already there stay whole.
	 */
	if (madvise(m->addr, m->len, MADV_NOHUGEPAGE))
		return wl_fail(ctx, "madvise(MADV_NOHUGEPAGE) after THP split", errno);
	return WL_OK;
}

void wl_mapping_fill(const struct wl_ctx *ctx, struct wl_mapping *m)
{
	size_t i, npages = m->len / ctx->page_size;

	for (i = 0; i < npages; i++)
		*(uint64_t *)(m->addr + i * ctx->page_size) = wl_pattern(i);
}

enum wl_status wl_mapping_check(struct wl_ctx *ctx, const struct wl_mapping *m,
				size_t first, size_t n)
{
	size_t i;

	for (i = first; i < first + n; i++)
		if (*(const uint64_t *)(m->addr + i * ctx->page_size) != wl_pattern(i))
			return wl_reason(ctx, WL_FAIL, "page %zu of the %s mapping lost its data",
					 i, wl_backing_names[m->backing]);
	return WL_OK;
}

enum wl_status wl_mapping_populate(struct wl_ctx *ctx, struct wl_mapping *m)
{
	enum wl_status ret = wl_mapping_map(ctx, m);

	if (ret != WL_OK)
		return ret;
	wl_mapping_fill(ctx, m);
	return wl_mapping_finish(ctx, m);
}

enum wl_status wl_mapping_init_ranges(struct wl_ctx *ctx, struct wl_mapping *m,
				      enum wl_backing backing, enum wl_tmpfs_huge huge,
				      size_t len, int partial)
{
	enum wl_status ret = wl_mapping_init(ctx, m, backing, huge, len);

	if (ret == WL_OK && partial && wl_backing_is_hugetlb(backing))
		ret = wl_reason(ctx, WL_SKIP, "range=partial would split %s pages, which the kernel refuses",
				wl_backing_names[backing]);
	return ret;
}

enum wl_status wl_mapping_refresh(struct wl_ctx *ctx, struct wl_mapping *m)
{
	enum wl_status ret = wl_mapping_unmap(ctx, m);

	if (ret == WL_OK)
		ret = wl_mapping_populate(ctx, m);
	return ret == WL_OK ? wl_mapping_prove(ctx, m) : ret;
}

enum wl_status wl_for_each_range(struct wl_ctx *ctx, const struct wl_mapping *m,
				 int partial, wl_range_op op, uint64_t *pages)
{
	size_t block = WL_BLOCK_PAGES * ctx->page_size, off;
	size_t len = WL_PARTIAL_PAGES * ctx->page_size;
	enum wl_status ret;

	if (!partial) {
		*pages += m->len / ctx->page_size;
		return op(ctx, m->addr, m->len);
	}
	for (off = 0; off < m->len; off += block) {
		ret = op(ctx, m->addr + off + WL_PARTIAL_FIRST * ctx->page_size, len);
		if (ret != WL_OK)
			return ret;
		*pages += WL_PARTIAL_PAGES;
	}
	return WL_OK;
}

enum wl_status wl_mapping_unmap(struct wl_ctx *ctx, struct wl_mapping *m)
{
	if (!m->mapped)
		return WL_OK;
	m->mapped = false;
	if (munmap(m->addr, m->len))
		return wl_fail(ctx, "munmap", errno);
	return WL_OK;
}

/* smaps fields of the VMA holding addr, in kB. */
struct smaps_facts {
	uint64_t anon_huge_kb, kernel_page_kb, rss_kb, file_pmd_kb, shmem_pmd_kb;
	uintptr_t vma_start, vma_end;
};

static int read_smaps(uintptr_t addr, struct smaps_facts *sf)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false, found = false;

	if (!f)
		return -1;
	memset(sf, 0, sizeof(*sf));
	while (fgets(line, sizeof(line), f)) {
		uintptr_t start, end;
		uint64_t kb;

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = addr >= start && addr < end;
			if (in) {
				sf->vma_start = start;
				sf->vma_end = end;
			}
			found |= in;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "AnonHugePages: %" SCNu64, &kb) == 1)
			sf->anon_huge_kb = kb;
		else if (sscanf(line, "KernelPageSize: %" SCNu64, &kb) == 1)
			sf->kernel_page_kb = kb;
		else if (sscanf(line, "Rss: %" SCNu64, &kb) == 1)
			sf->rss_kb = kb;
		else if (sscanf(line, "FilePmdMapped: %" SCNu64, &kb) == 1)
			sf->file_pmd_kb = kb;
		else if (sscanf(line, "ShmemPmdMapped: %" SCNu64, &kb) == 1)
			sf->shmem_pmd_kb = kb;
	}
	fclose(f);
	return found ? 0 : -1;
}

struct proof {
	int kpf;
	uint64_t head, head_pages;	/* the last folio measured, as a cache */
};

static int kpageflags(struct proof *pr, uint64_t pfn, uint64_t *flags)
{
	return pread(pr->kpf, flags, sizeof(*flags), pfn * sizeof(*flags)) ==
		sizeof(*flags) ? 0 : -1;
}

/* Pages in the folio holding pfn (1 for a small folio), or 0 on error. */
static uint64_t folio_pages(struct proof *pr, uint64_t pfn, uint64_t flags)
{
	uint64_t head = pfn, n, f;

	if (!(flags & ((1ULL << KPF_COMPOUND_HEAD) | (1ULL << KPF_COMPOUND_TAIL))))
		return 1;
	while (!(flags & (1ULL << KPF_COMPOUND_HEAD))) {
		if (!head || pfn - head >= MAX_FOLIO_PAGES || kpageflags(pr, --head, &flags))
			return 0;
	}
	if (head == pr->head)
		return pr->head_pages;
	for (n = 1; n < MAX_FOLIO_PAGES; n++)
		if (kpageflags(pr, head + n, &f) || !(f & (1ULL << KPF_COMPOUND_TAIL)))
			break;
	pr->head = head;
	pr->head_pages = n;
	return n;
}

static int order_of(uint64_t pages)
{
	int o = 0;

	while ((1ULL << o) < pages)
		o++;
	return (1ULL << o) == pages ? o : -1;
}

/* What each backing promises, checked against the facts gathered. */
static enum wl_status check_claim(struct wl_ctx *ctx, const struct wl_mapping *m,
				  const uint64_t *pages_by_order, const struct smaps_facts *sf,
				  size_t npages)
{
	int pmd_order = order_of(WL_PMD_SIZE / ctx->page_size);
	const char *name = wl_backing_names[m->backing];
	uint64_t len_kb = m->len >> 10;

	switch (m->backing) {
	case BACKING_ANON_4K:
		if (pages_by_order[0] != npages || sf->anon_huge_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in order-0 folios, %" PRIu64 " kB PMD-mapped",
					 name, pages_by_order[0], npages, sf->anon_huge_kb);
		break;
	case BACKING_ANON_THP:
		if (pages_by_order[pmd_order] != npages || sf->anon_huge_kb != len_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in PMD-order folios, %" PRIu64 " of %" PRIu64 " kB PMD-mapped (THP allocation failed?)",
					 name, pages_by_order[pmd_order], npages, sf->anon_huge_kb, len_kb);
		break;
	case BACKING_ANON_THP_PTE:
		if (pages_by_order[pmd_order] != npages || sf->anon_huge_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in PMD-order folios, %" PRIu64 " kB still PMD-mapped",
					 name, pages_by_order[pmd_order], npages, sf->anon_huge_kb);
		break;
	case BACKING_ANON_64K:
		if (pages_by_order[4] != npages || sf->anon_huge_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in order-4 (64K) folios, %" PRIu64 " kB PMD-mapped",
					 name, pages_by_order[4], npages, sf->anon_huge_kb);
		break;
	case BACKING_TMPFS:
		if (m->tmpfs_huge == TMPFS_HUGE_NEVER) {
			if (pages_by_order[0] != npages || sf->shmem_pmd_kb)
				return wl_reason(ctx, WL_FAIL, "%s huge=never: %" PRIu64 " of %zu pages in order-0 folios, %" PRIu64 " kB PMD-mapped",
						 name, pages_by_order[0], npages, sf->shmem_pmd_kb);
		} else if (pages_by_order[pmd_order] != npages || sf->shmem_pmd_kb != len_kb) {
			return wl_reason(ctx, WL_FAIL, "%s huge=%s: %" PRIu64 " of %zu pages in PMD-order folios, %" PRIu64 " of %" PRIu64 " kB PMD-mapped",
					 name, wl_tmpfs_huge_names[m->tmpfs_huge], pages_by_order[pmd_order],
					 npages, sf->shmem_pmd_kb, len_kb);
		}
		break;
	case BACKING_XFS:
		/* large folios: the page cache gave no page a folio of its own */
		if (pages_by_order[0])
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in order-0 folios (no large folios on this page cache?)",
					 name, pages_by_order[0], npages);
		break;
	case BACKING_HUGETLB_64K:
	case BACKING_HUGETLB_2M:
		if (sf->kernel_page_kb != backing_unit(m->backing) >> 10)
			return wl_reason(ctx, WL_FAIL, "%s: mapped with %" PRIu64 " kB pages",
					 name, sf->kernel_page_kb);
		break;
	default:
		break;
	}
	return WL_OK;
}

/* The mount a file backing's proof records. */
static json_t *fs_json(void)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(fs.kind == BACKING_XFS ? "xfs" : "tmpfs"));
	json_object_set_new(o, "mount_options", json_string(fs.options));
	if (fs.kind == BACKING_TMPFS) {
		json_object_set_new(o, "huge", json_string(wl_tmpfs_huge_names[fs.huge]));
	} else {
		json_object_set_new(o, "image", json_string(fs.image));
		json_object_set_new(o, "device", json_string(fs.loop));
		json_object_set_new(o, "read_ahead_kb", fs.read_ahead_kb < 0 ? json_null() :
				    json_integer(fs.read_ahead_kb));
	}
	return o;
}

static json_t *proof_json(const struct wl_mapping *m, size_t npages, size_t present,
			  const uint64_t *pages_by_order, const struct smaps_facts *sf,
			  uint64_t contig_blocks, long folded)
{
	json_t *orders = json_object(), *o;
	char key[8];
	int i;

	for (i = 0; i < 64; i++) {
		if (!pages_by_order[i])
			continue;
		snprintf(key, sizeof(key), "%d", i);
		json_object_set_new(orders, key, json_integer(pages_by_order[i]));
	}
	o = json_object();
	json_object_set_new(o, "backing", json_string(wl_backing_names[m->backing]));
	json_object_set_new(o, "addr", json_integer((uintptr_t)m->addr));
	json_object_set_new(o, "pages", json_integer(npages));
	json_object_set_new(o, "present", json_integer(present));
	json_object_set_new(o, "pages_by_folio_order", orders);
	json_object_set_new(o, "anon_huge_kb", json_integer(sf->anon_huge_kb));
	json_object_set_new(o, "kernel_page_kb", json_integer(sf->kernel_page_kb));
	json_object_set_new(o, "vma_start", json_integer(sf->vma_start));
	json_object_set_new(o, "vma_end", json_integer(sf->vma_end));
	json_object_set_new(o, "contig_64k_blocks", json_integer(contig_blocks));
	/* blocks the kernel has folded now; null: no contpte on this kernel */
	json_object_set_new(o, "contpte_folded_blocks", folded < 0 ? json_null() :
			    json_integer(folded));
	if (wl_backing_is_file(m->backing)) {
		json_object_set_new(o, "file_pmd_kb", json_integer(sf->file_pmd_kb));
		json_object_set_new(o, "shmem_pmd_kb", json_integer(sf->shmem_pmd_kb));
		json_object_set_new(o, "fs", fs_json());
	}
	if (m->backing == BACKING_ANON_64K && knob.path) {
		json_t *k = json_object();

		json_object_set_new(k, "path", json_string(knob.path));
		json_object_set_new(k, "value", json_string(knob.set));
		json_object_set_new(k, "saved", json_string(knob.saved));
		json_object_set_new(o, "knob", k);
	}
	json_object_set_new(o, "proven", json_true());
	return o;
}

enum wl_status wl_mapping_prove(struct wl_ctx *ctx, const struct wl_mapping *m)
{
	size_t npages = m->len / ctx->page_size, present = 0, i;
	uint64_t pages_by_order[64] = { 0 }, contig = 0, *pm = NULL, any_pfn = 0;
	struct proof pr = { .kpf = -1, .head = UINT64_MAX };
	struct smaps_facts sf;
	enum wl_status ret;
	char err[256];
	long folded;
	int pmfd;

	pmfd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pmfd < 0)
		return wl_reason(ctx, WL_SKIP, "mapping proof: open /proc/self/pagemap: %s", strerror(errno));
	pr.kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (pr.kpf < 0) {
		ret = wl_reason(ctx, WL_SKIP, "mapping proof: open /proc/kpageflags: %s", strerror(errno));
		goto out;
	}
	pm = malloc(npages * sizeof(*pm));
	if (!pm) {
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: out of memory");
		goto out;
	}
	if (pread(pmfd, pm, npages * sizeof(*pm),
		  (uintptr_t)m->addr / ctx->page_size * sizeof(*pm)) != (ssize_t)(npages * sizeof(*pm))) {
		ret = wl_fail(ctx, "mapping proof: pread /proc/self/pagemap", errno);
		goto out;
	}
	for (i = 0; i < npages; i++)
		any_pfn |= pm[i] & PM_PFN_MASK;
	for (i = 0; i < npages; i++) {
		uint64_t pfn = pm[i] & PM_PFN_MASK, flags, n;
		int order;

		if (!(pm[i] & PM_PRESENT))
			continue;
		present++;
		if (!any_pfn) {
			ret = wl_reason(ctx, WL_SKIP, "mapping proof: pagemap hides PFNs (needs CAP_SYS_ADMIN)");
			goto out;
		}
		if (kpageflags(&pr, pfn, &flags)) {
			ret = wl_fail(ctx, "mapping proof: pread /proc/kpageflags", errno);
			goto out;
		}
		n = folio_pages(&pr, pfn, flags);
		order = n ? order_of(n) : -1;
		if (order < 0) {
			ret = wl_reason(ctx, WL_FAIL, "mapping proof: page %zu: folio of %" PRIu64 " pages", i, n);
			goto out;
		}
		pages_by_order[order]++;
		/* an aligned 16-page block of one folio, physically contiguous */
		if (i % CONT_PAGES == 0 && i + CONT_PAGES <= npages && pfn % CONT_PAGES == 0 &&
		    n >= CONT_PAGES) {
			size_t j;

			for (j = 1; j < CONT_PAGES; j++)
				if (!(pm[i + j] & PM_PRESENT) || (pm[i + j] & PM_PFN_MASK) != pfn + j)
					break;
			contig += j == CONT_PAGES;
		}
	}
	folded = contpte_blocks_in((uintptr_t)m->addr, m->len, err, sizeof(err));
	if (folded < 0 && err[0]) {
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: %s", err);
		goto out;
	}
	if (read_smaps((uintptr_t)m->addr, &sf)) {
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: no VMA at %p in /proc/self/smaps", m->addr);
		goto out;
	}
	json_object_set_new(ctx->sample_info, "mapping",
			    proof_json(m, npages, present, pages_by_order, &sf, contig, folded));
	if (present != npages)
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: %zu of %zu pages present", present, npages);
	else
		ret = check_claim(ctx, m, pages_by_order, &sf, npages);
out:
	free(pm);
	if (pr.kpf >= 0)
		close(pr.kpf);
	close(pmfd);
	return ret;
}
