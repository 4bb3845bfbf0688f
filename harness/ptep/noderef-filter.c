// SPDX-License-Identifier: GPL-2.0
/*
 * noderef-filter - decide whether a check-only clang build found direct
 * pte_t dereferences outside arch/.
 *
 * The check build marks pte_t __attribute__((noderef)), so clang's
 * -Wnoderef warns at every dereference of a pte_t pointer ("dereferencing
 * ...") and at every cast that drops the attribute ("casting to
 * dereferenceable pointer ...").  This program reads the build log on
 * stdin, keeps the warnings in files outside arch/ (paths relative to
 * SRCTREE, "dir/../" collapsed), removes duplicates (a header is compiled
 * many times), and accepts a warning only if EXCEPTIONS lists its file,
 * kind and a text that occurs on the source line it points at, or lists
 * "*" as file, kind "macro" and the name of a macro that the warning was
 * expanded from (clang's "note: expanded from macro" lines).  It
 * prints one line per unique warning ("accepted" or "NEW") and a total,
 * and exits 1 if any warning is new.
 *
 * Usage: noderef-filter SRCTREE EXCEPTIONS < build.log
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEEN	4096
#define MAX_EXC		64
#define LINE_MAX_LEN	4096

struct exception {
	char file[512];
	char kind[16];
	char text[512];
	unsigned long hits;
};

static struct exception exc[MAX_EXC];
static int n_exc;
static char *seen[MAX_SEEN];
static int n_seen;

static void chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

/* FILE<TAB>KIND<TAB>TEXT<TAB>REASON lines; '#' starts a comment line. */
static int load_exceptions(const char *path)
{
	char line[LINE_MAX_LEN];
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *file, *kind, *text;

		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		file = strtok(line, "\t");
		kind = strtok(NULL, "\t");
		text = strtok(NULL, "\t");
		if (!file || !kind || !text || !strtok(NULL, "\t") || n_exc == MAX_EXC) {
			fprintf(stderr, "%s: malformed or too many entries\n", path);
			fclose(f);
			return -1;
		}
		snprintf(exc[n_exc].file, sizeof(exc[0].file), "%s", file);
		snprintf(exc[n_exc].kind, sizeof(exc[0].kind), "%s", kind);
		snprintf(exc[n_exc].text, sizeof(exc[0].text), "%s", text);
		n_exc++;
	}
	fclose(f);
	return 0;
}

/* Collapse "a/b/../" into "a/" in place, as the kvm build path needs. */
static void collapse_dotdot(char *p)
{
	char *d;

	while ((d = strstr(p, "/../"))) {
		char *s = d;

		while (s > p && s[-1] != '/')
			s--;
		memmove(s, d + 4, strlen(d + 4) + 1);
	}
}

/* Copy line @lineno of @path into @out; false if it cannot be read. */
static bool source_line(const char *path, long lineno, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	long n = 0;

	if (!f)
		return false;
	while (fgets(out, len, f))
		if (++n == lineno) {
			fclose(f);
			chomp(out);
			return true;
		}
	fclose(f);
	return false;
}

static bool seen_before(const char *key)
{
	int i;

	for (i = 0; i < n_seen; i++)
		if (!strcmp(seen[i], key))
			return true;
	if (n_seen < MAX_SEEN)
		seen[n_seen++] = strdup(key);
	return false;
}

struct finding {
	bool active;
	char file[LINE_MAX_LEN];
	char src[LINE_MAX_LEN];
	const char *kind;
	long lno, col;
	bool ok;
};

/* Accept @f if an exception names a macro on its expansion chain. */
static void note_macro(struct finding *f, const char *note)
{
	const char *m = strstr(note, "expanded from macro '");
	char name[256];
	int i;

	if (!f->active || f->ok || !m ||
	    sscanf(m + strlen("expanded from macro '"), "%255[^']", name) != 1)
		return;
	for (i = 0; i < n_exc; i++)
		if (!strcmp(exc[i].file, "*") && !strcmp(exc[i].kind, "macro") &&
		    !strcmp(exc[i].text, name)) {
			exc[i].hits++;
			f->ok = true;
			return;
		}
}

static unsigned long n_new, n_ok;

static void decide(struct finding *f)
{
	if (!f->active)
		return;
	printf("%-8s %s:%ld:%ld %s: %s\n", f->ok ? "accepted" : "NEW", f->file,
	       f->lno, f->col, f->kind, f->src + strspn(f->src, " \t"));
	if (f->ok)
		n_ok++;
	else
		n_new++;
	f->active = false;
}

int main(int argc, char **argv)
{
	char line[LINE_MAX_LEN], path[2 * LINE_MAX_LEN + 2];
	static struct finding f;
	size_t rootlen;
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: noderef-filter SRCTREE EXCEPTIONS < build.log\n");
		return 2;
	}
	if (load_exceptions(argv[2]))
		return 2;
	rootlen = strlen(argv[1]);

	while (fgets(line, sizeof(line), stdin)) {
		char file[LINE_MAX_LEN], key[LINE_MAX_LEN + 64];
		const char *kind, *w;
		long lno, col;
		char *c1;

		chomp(line);
		if (strstr(line, ": note: ")) {
			note_macro(&f, line);
			continue;
		}
		/* "-Wnoderef]" also matches "[-Werror,-Wnoderef]" */
		if (!strstr(line, "-Wnoderef]"))
			continue;
		w = strstr(line, ": warning: ");
		if (!w)
			w = strstr(line, ": error: ");
		if (!w)
			continue;
		decide(&f);
		kind = strstr(w, "casting to dereferenceable") ? "cast" : "deref";
		c1 = line;
		if (!strncmp(c1, argv[1], rootlen) && c1[rootlen] == '/')
			c1 += rootlen + 1;
		if (sscanf(c1, "%[^:]:%ld:%ld:", file, &lno, &col) != 3)
			continue;
		collapse_dotdot(file);
		if (!strncmp(file, "arch/", 5))
			continue;
		snprintf(key, sizeof(key), "%s:%ld:%ld:%s", file, lno, col, kind);
		if (seen_before(key))
			continue;
		f.active = true;
		f.ok = false;
		f.kind = kind;
		f.lno = lno;
		f.col = col;
		snprintf(f.file, sizeof(f.file), "%s", file);
		snprintf(path, sizeof(path), "%s/%s", argv[1], file);
		if (!source_line(path, lno, f.src, sizeof(f.src)))
			f.src[0] = '\0';
		for (i = 0; i < n_exc && !f.ok; i++)
			if (!strcmp(exc[i].file, file) && !strcmp(exc[i].kind, kind) &&
			    strstr(f.src, exc[i].text)) {
				exc[i].hits++;
				f.ok = true;
			}
	}
	decide(&f);
	printf("noderef: %lu new, %lu accepted exceptions\n", n_new, n_ok);
	return n_new ? 1 : 0;
}
