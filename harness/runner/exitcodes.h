/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit codes of every tlbbench command, the kselftest convention.  This is
 * the one place they are defined; README.md documents them.
 */
#ifndef TLBBENCH_EXITCODES_H
#define TLBBENCH_EXITCODES_H

#define EXIT_PASS	0	/* every repetition ran (and verified, under --verify) */
#define EXIT_FAIL	1	/* a syscall or a data check failed */
#define EXIT_USAGE	2	/* bad command line: unknown option, bad value, bounds */
#define EXIT_SKIP	4	/* a feature or resource is missing; the reason is recorded */
#define EXIT_INTERRUPTED 130	/* SIGINT/SIGTERM: completed repetitions are kept */

#endif /* TLBBENCH_EXITCODES_H */
