// SPDX-License-Identifier: GPL-2.0
/*
 * tlbbench run --profile: perf record attached to the runner, controlled
 * through one socket (perf's --control=fd:N,N reads "enable" and "disable"
 * from it and answers "ack"), so sampling runs only around the measured
 * loops.  A socket rather than pipes: a write to a perf that died fails
 * with EPIPE instead of killing the runner with SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "profile.h"

/* perf's answer to a control command: "ack\n" and its NUL */
#define ACK		"ack\n"
#define ACK_LEN		sizeof(ACK)

/* The first bytes of a perf.data file (tools/perf/util/header.c) */
#define PERF_MAGIC	"PERFILE2"

/* How long perf may take to answer; TCG guests start it slowly. */
#define ANSWER_MS	(300 * 1000)

static int why_log(const struct profile *p, char *why, size_t len, const char *what)
{
	snprintf(why, len, "profile: %s (perf's output: %s)", what, p->log);
	return -1;
}

void profile_path(char *buf, size_t len, const char *out, const char *workload)
{
	const char *slash = strrchr(out, '/');
	int dirlen = slash && strcmp(out, "-") ? (int)(slash - out + 1) : 0;

	snprintf(buf, len, "%.*sprofile-%s-%d.perf.data", dirlen, out, workload, (int)getpid());
}

int profile_start(struct profile *p, const char *path, char *why, size_t len)
{
	char pid_arg[24], ctl_arg[48];
	const char *argv[] = {
		"perf", "record", "-q", "-e", PROFILE_EVENT, "-g", "-p", pid_arg,
		"-D", "-1",	/* start with sampling off */
		ctl_arg, "-o", path, NULL
	};
	int sv[2], st[2], theirs, err = 0;
	ssize_t n;

	memset(p, 0, sizeof(*p));
	p->ctl = -1;
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(p->log, sizeof(p->log), "%s.log", path);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(why, len, "profile: socketpair: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (pipe2(st, O_CLOEXEC)) {
		snprintf(why, len, "profile: pipe: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return EXIT_FAIL;
	}
	/* perf's end, without close-on-exec, exists only until the fork */
	theirs = dup(sv[1]);
	snprintf(pid_arg, sizeof(pid_arg), "%d", (int)getpid());
	snprintf(ctl_arg, sizeof(ctl_arg), "--control=fd:%d,%d", theirs, theirs);
	p->pid = theirs < 0 ? -1 : fork();
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int log = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (null >= 0 && log >= 0 && dup2(null, 0) == 0 && dup2(log, 1) == 1 &&
		    dup2(log, 2) == 2)
			execvp("perf", (char *const *)argv);
		/* the status pipe says why exec did not happen */
		err = errno;
		if (write(st[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	err = errno;
	if (theirs >= 0)
		close(theirs);
	close(sv[1]);
	close(st[1]);
	if (p->pid < 0) {
		snprintf(why, len, "profile: fork: %s", strerror(err));
		close(st[0]);
		close(sv[0]);
		p->pid = 0;
		return EXIT_FAIL;
	}
	/* end of file: exec succeeded and closed the pipe */
	n = read(st[0], &err, sizeof(err));
	close(st[0]);
	if (n == (ssize_t)sizeof(err)) {
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		close(sv[0]);
		if (err == ENOENT) {
			snprintf(why, len, "profile: perf is not installed (Debian: linux-perf)");
			return EXIT_SKIP;
		}
		snprintf(why, len, "profile: exec perf: %s", strerror(err));
		return EXIT_FAIL;
	}
	p->ctl = sv[0];
	return 0;
}

int profile_enable(struct profile *p, bool on, char *why, size_t len)
{
	const char *cmd = on ? "enable\n" : "disable\n";
	struct pollfd pfd = { .fd = p->ctl, .events = POLLIN };
	char ack[ACK_LEN];
	size_t got = 0;
	ssize_t n;

	if (send(p->ctl, cmd, strlen(cmd), MSG_NOSIGNAL) != (ssize_t)strlen(cmd))
		return why_log(p, why, len, "perf record is gone");
	while (got < ACK_LEN) {
		n = poll(&pfd, 1, ANSWER_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return why_log(p, why, len, n ? "poll failed" : "perf record did not answer");
		n = read(p->ctl, ack + got, ACK_LEN - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return why_log(p, why, len, "perf record exited");
		got += n;
	}
	if (memcmp(ack, ACK, ACK_LEN))
		return why_log(p, why, len, "perf record answered something other than ack");
	return 0;
}

int profile_finish(struct profile *p, char *why, size_t len)
{
	char magic[sizeof(PERF_MAGIC) - 1];
	int status = 0, fd;
	ssize_t n;

	if (!p->pid)
		return 0;
	/* perf record writes its file, then dies of the SIGINT it caught */
	kill(p->pid, SIGINT);
	while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
		;
	p->pid = 0;
	close(p->ctl);
	p->ctl = -1;
	if (WIFEXITED(status) ? WEXITSTATUS(status) != 0 : WTERMSIG(status) != SIGINT)
		return why_log(p, why, len, "perf record failed");
	fd = open(p->path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, magic, sizeof(magic));
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(magic) || memcmp(magic, PERF_MAGIC, sizeof(magic)))
		return why_log(p, why, len, "perf record wrote no perf.data");
	return 0;
}
