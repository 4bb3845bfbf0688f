// SPDX-License-Identifier: GPL-2.0
/*
 * objcmp - decide whether two kernel builds produced the same objects.
 *
 * The ptep_deref() series claims that patches 3, 4 and 5 change no
 * generated code on arm64.  objcmp reads relative object paths, one per
 * line, from stdin, compares BASE/path with NEW/path and prints one line
 * per object: "identical", "masked" (identical once the __LINE__ fields
 * of __bug_table are ignored, only with -m), "different" or "missing".
 * It exits 0 only if no object is different or missing.
 *
 * -m masks the 16-bit line field of every __bug_table entry of a 64-bit
 * little-endian ELF relocatable (arm64 GENERIC_BUG with BUGVERBOSE and
 * relative pointers: struct bug_entry is { s32 bug_addr_disp; s32
 * file_disp; u16 line; u16 flags; }, 12 bytes, line at offset 8).  That
 * is where __LINE__ of a BUG()/WARN() lands; every other byte must still
 * be equal.  __LINE__ also reaches initcall symbol names
 * (__initcall__kmod_<file>__<id>_<line>_<fn><level>), which -m does not
 * mask: a line shift above an initcall stays "different".
 *
 * Usage: objcmp [-m] BASE_DIR NEW_DIR < list
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUG_ENTRY_SIZE	12	/* sizeof(struct bug_entry), see above */
#define BUG_LINE_OFF	8	/* offsetof(struct bug_entry, line) */

struct blob {
	unsigned char *data;
	size_t len;
};

static int read_file(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16;

	b->len = 0;
	b->data = NULL;
	if (!f)
		return -errno;
	b->data = malloc(cap);
	while (b->data) {
		size_t n = fread(b->data + b->len, 1, cap - b->len, f);

		b->len += n;
		if (b->len < cap)
			break;
		cap *= 2;
		b->data = realloc(b->data, cap);
	}
	if (!b->data || ferror(f)) {
		fclose(f);
		free(b->data);
		return -EIO;
	}
	fclose(f);
	return 0;
}

/* Find the file range of section @name; false if absent or malformed. */
static bool find_section(const struct blob *b, const char *name,
			 size_t *off, size_t *size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b->data;
	const Elf64_Shdr *sh, *strtab;
	size_t i;

	if (b->len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > b->len ||
	    eh->e_shstrndx >= eh->e_shnum)
		return false;
	sh = (const Elf64_Shdr *)(b->data + eh->e_shoff);
	strtab = &sh[eh->e_shstrndx];
	for (i = 0; i < eh->e_shnum; i++) {
		size_t noff = strtab->sh_offset + sh[i].sh_name;

		if (noff >= b->len || strtab->sh_offset + strtab->sh_size > b->len)
			return false;
		if (strncmp((const char *)b->data + noff, name, b->len - noff))
			continue;
		if (sh[i].sh_type == SHT_NOBITS ||
		    sh[i].sh_offset + sh[i].sh_size > b->len)
			return false;
		*off = sh[i].sh_offset;
		*size = sh[i].sh_size;
		return true;
	}
	return false;
}

/* Zero the line field of every bug_entry; false if there is no table. */
static bool mask_bug_lines(struct blob *b)
{
	size_t off, size, e;

	if (!find_section(b, "__bug_table", &off, &size) ||
	    size % BUG_ENTRY_SIZE)
		return false;
	for (e = off; e < off + size; e += BUG_ENTRY_SIZE)
		memset(b->data + e + BUG_LINE_OFF, 0, 2);
	return true;
}

static bool same(const struct blob *a, const struct blob *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

/* Returns the verdict for one object as a static string. */
static const char *compare(const char *base, const char *new, bool mask)
{
	struct blob a, b;
	const char *verdict = "different";

	if (read_file(base, &a))
		return "missing";
	if (read_file(new, &b)) {
		free(a.data);
		return "missing";
	}
	if (same(&a, &b))
		verdict = "identical";
	else if (mask && mask_bug_lines(&a) && mask_bug_lines(&b) && same(&a, &b))
		verdict = "masked";
	free(a.data);
	free(b.data);
	return verdict;
}

int main(int argc, char **argv)
{
	unsigned long n_same = 0, n_masked = 0, n_diff = 0, n_missing = 0;
	char line[4096], pa[8192], pb[8192];
	bool mask = false;
	int opt;

	while ((opt = getopt(argc, argv, "m")) != -1) {
		if (opt != 'm')
			goto usage;
		mask = true;
	}
	if (argc - optind != 2)
		goto usage;

	while (fgets(line, sizeof(line), stdin)) {
		const char *v;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		snprintf(pa, sizeof(pa), "%s/%s", argv[optind], line);
		snprintf(pb, sizeof(pb), "%s/%s", argv[optind + 1], line);
		v = compare(pa, pb, mask);
		printf("%-9s %s\n", v, line);
		if (!strcmp(v, "identical"))
			n_same++;
		else if (!strcmp(v, "masked"))
			n_masked++;
		else if (!strcmp(v, "missing"))
			n_missing++;
		else
			n_diff++;
	}
	printf("objcmp: %lu identical, %lu identical after masking __bug_table lines, %lu different, %lu missing\n",
	       n_same, n_masked, n_diff, n_missing);
	if (n_same + n_masked + n_diff + n_missing == 0) {
		fprintf(stderr, "objcmp: no objects to compare\n");
		return 1;
	}
	return n_diff || n_missing ? 1 : 0;

usage:
	fprintf(stderr, "usage: objcmp [-m] BASE_DIR NEW_DIR < list-of-objects\n");
	return 2;
}
