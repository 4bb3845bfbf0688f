/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the cmocka unit tests: temporary files, running the built
 * tlbbench binary, and reading its JSON Lines back.
 */
#ifndef TLBBENCH_TESTUTIL_H
#define TLBBENCH_TESTUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

extern char **environ;

/* A fresh file name under $TMPDIR (the file does not exist yet). */
static inline char *tmp_path(const char *tag)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *p;
	int fd;

	assert_true(asprintf(&p, "%s/tlbbench-%s-XXXXXX", dir, tag) > 0);
	fd = mkstemp(p);
	assert_true(fd >= 0);
	close(fd);
	unlink(p);
	return p;
}

static inline const char *tlbbench_bin(void)
{
	const char *b = getenv("TLBBENCH");

	return b ? b : "build/host/bin/tlbbench";
}

/*
 * Start tlbbench with the NULL-terminated arguments, stdout to outfile,
 * stderr to errfile.  Returns the pid.
 */
static inline pid_t spawn_tlbbench_to(const char *outfile, const char *errfile,
				      const char *const *args)
{
	posix_spawn_file_actions_t fa;
	const char *argv[64];
	pid_t pid;
	int i;

	argv[0] = tlbbench_bin();
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errfile,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, outfile,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* The same, stdout to /dev/null. */
static inline pid_t spawn_tlbbench(const char *errfile, const char *const *args)
{
	return spawn_tlbbench_to("/dev/null", errfile, args);
}

static inline int wait_exit(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* A whole small file (up to 64K), removed; the caller frees the text. */
static inline char *slurp_and_unlink(char *path)
{
	FILE *f = fopen(path, "r");
	char *text = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	assert_non_null(text);
	n = fread(text, 1, 65535, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	free(path);
	return text;
}

/* Run tlbbench to completion; returns its exit code, stderr in *err. */
static inline int run_tlbbench(char **err, const char *const *args)
{
	char *ef = tmp_path("stderr");
	int code = wait_exit(spawn_tlbbench(ef, args));

	*err = slurp_and_unlink(ef);
	return code;
}

/* The same with stdout in *out too. */
static inline int run_tlbbench_out(char **out, char **err, const char *const *args)
{
	char *of = tmp_path("stdout"), *ef = tmp_path("stderr");
	int code = wait_exit(spawn_tlbbench_to(of, ef, args));

	*out = slurp_and_unlink(of);
	*err = slurp_and_unlink(ef);
	return code;
}

/* Every line of a JSON Lines file as an array; fails the test on bad JSON. */
static inline json_t *read_jsonl(const char *path)
{
	json_t *arr = json_array();
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		json_error_t e;
		json_t *rec = json_loads(line, 0, &e);

		if (!rec)
			fail_msg("%s: bad JSON line: %s", path, e.text);
		json_array_append_new(arr, rec);
	}
	free(line);
	fclose(f);
	return arr;
}

static inline const char *jstr(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static inline long long jint(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		fail_msg("field %s is not an integer", key);
	return json_integer_value(v);
}

#endif /* TLBBENCH_TESTUTIL_H */
