// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines output: one compact object per line, appended and flushed as
 * each record is taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "emit.h"

int emit_open(struct emitter *em, const char *path, char *err, size_t errlen)
{
	em->path = path;
	if (!strcmp(path, "-")) {
		em->fd = STDOUT_FILENO;
		return 0;
	}
	em->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (em->fd < 0) {
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void emit_close(struct emitter *em)
{
	if (em->fd > STDERR_FILENO)
		close(em->fd);
	em->fd = -1;
}

int emit_record(struct emitter *em, struct json_t *rec, char *err, size_t errlen)
{
	/* compact, keys in insertion order, no NaN: jansson refuses them */
	char *line = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t len, done = 0;
	int ret = 0;

	json_decref(rec);
	if (!line) {
		snprintf(err, errlen, "write %s: record cannot be serialised", em->path);
		return -1;
	}
	len = strlen(line);
	line[len++] = '\n';	/* json_dumps leaves room: it wrote a NUL there */
	while (done < len) {
		ssize_t n = write(em->fd, line + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "write %s: %s", em->path,
				 n < 0 ? strerror(errno) : "no progress");
			ret = -1;
			break;
		}
		done += n;
	}
	free(line);
	return ret;
}
