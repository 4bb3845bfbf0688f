// SPDX-License-Identifier: GPL-2.0
/*
 * tlbbench run --profile: perf record attached to the runner, controlled
 * through two pipes (perf's --control=fd:CTL,ACK reads "enable" and
 * "disable" from one and answers "ack" on the other), so sampling runs
 * only around the measured loops.  Pipes, not a socket: the benchmark
 * kernel has no AF_UNIX.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

static void close_fds(int *fds, int n)
{
	while (n--)
		if (fds[n] >= 0)
			close(fds[n]);
}

int profile_start(struct profile *p, const char *path, char *why, size_t len)
{
	char pid_arg[24], ctl_arg[48];
	const char *argv[] = {
		"perf", "record", "-q", "-e", PROFILE_EVENT, "-g", "-p", pid_arg,
		"-D", "-1",	/* start with sampling off */
		ctl_arg, "-o", path, NULL
	};
	/* ctl, ack and exec-status pipes; then perf's two ends again */
	int fd[8] = { -1, -1, -1, -1, -1, -1, -1, -1 }, err = 0;
	ssize_t n;

	memset(p, 0, sizeof(*p));
	p->ctl = p->ack = -1;
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(p->log, sizeof(p->log), "%s.log", path);
	if (pipe2(fd, O_CLOEXEC) || pipe2(fd + 2, O_CLOEXEC) || pipe2(fd + 4, O_CLOEXEC)) {
		snprintf(why, len, "profile: pipe: %s", strerror(errno));
		close_fds(fd, 6);
		return EXIT_FAIL;
	}
	/* perf's ends, without close-on-exec, exist only until the fork */
	fd[6] = dup(fd[0]);
	fd[7] = dup(fd[3]);
	snprintf(pid_arg, sizeof(pid_arg), "%d", (int)getpid());
	snprintf(ctl_arg, sizeof(ctl_arg), "--control=fd:%d,%d", fd[6], fd[7]);
	p->pid = fd[6] < 0 || fd[7] < 0 ? -1 : fork();
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int log = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (null >= 0 && log >= 0 && dup2(null, 0) == 0 && dup2(log, 1) == 1 &&
		    dup2(log, 2) == 2)
			execvp("perf", (char *const *)argv);
		/* the status pipe says why exec did not happen */
		err = errno;
		if (write(fd[5], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	err = errno;
	p->ctl = fd[1];
	p->ack = fd[2];
	fd[1] = fd[2] = -1;
	close_fds(fd + 5, 3);
	close(fd[0]);
	close(fd[3]);
	/* end of file: exec succeeded and closed the pipe */
	n = p->pid < 0 ? 0 : read(fd[4], &err, sizeof(err));
	close(fd[4]);
	if (p->pid > 0 && n != (ssize_t)sizeof(err))
		return 0;
	if (p->pid > 0)
		waitpid(p->pid, NULL, 0);
	p->pid = 0;
	close_fds(&p->ctl, 1);
	close_fds(&p->ack, 1);
	if (err == ENOENT) {
		snprintf(why, len, "profile: perf is not installed (Debian: linux-perf)");
		return EXIT_SKIP;
	}
	snprintf(why, len, "profile: starting perf: %s", strerror(err));
	return EXIT_FAIL;
}

int profile_enable(struct profile *p, bool on, char *why, size_t len)
{
	const char *cmd = on ? "enable\n" : "disable\n";
	struct pollfd pfd = { .fd = p->ack, .events = POLLIN };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	char ack[ACK_LEN];
	size_t got = 0;
	ssize_t n;

	/* a perf that died fails the run (EPIPE) instead of killing it */
	sigaction(SIGPIPE, &ign, &old);
	n = write(p->ctl, cmd, strlen(cmd));
	sigaction(SIGPIPE, &old, NULL);
	if (n != (ssize_t)strlen(cmd))
		return why_log(p, why, len, "perf record is gone");
	while (got < ACK_LEN) {
		n = poll(&pfd, 1, ANSWER_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return why_log(p, why, len, n ? "poll failed" : "perf record did not answer");
		n = read(p->ack, ack + got, ACK_LEN - got);
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
	close(p->ack);
	p->ctl = p->ack = -1;
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
