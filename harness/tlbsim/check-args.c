// SPDX-License-Identifier: GPL-2.0
/*
 * check-args - the plugin's own argument check, before any kernel build.
 *
 * make bench CORE=... TLBSIM_ARGS=... would learn of a misspelt preset or
 * key only when QEMU loads the plugin, after the kernels are built.  This
 * runs the plugin's parser (args.c, cores.c) on the same arguments first;
 * the boot supplies mem= and out=, so they are filled in here.
 *
 * Usage: check-args 'core=neoverse-n1,l2_ways=8'
 * Exit 0 when the plugin would take them, 2 with its message when not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlbsim.h"

int main(int argc, char **argv)
{
	struct tlbsim_config cfg;
	char *args[64], err[512], *list, *tok, *save = NULL;
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: check-args 'key=value,...'\n");
		return 2;
	}
	list = strdup(argv[1]);
	for (tok = strtok_r(list, ",", &save); tok && n < 62; tok = strtok_r(NULL, ",", &save))
		args[n++] = tok;
	args[n++] = "mem=/dev/null";
	args[n++] = "out=/dev/null";
	if (tlbsim_parse_args(&cfg, n, args, err, sizeof(err))) {
		fprintf(stderr, "tlbsim: CORE=/TLBSIM_ARGS= '%s': %s\n", argv[1], err);
		return 2;
	}
	return 0;
}
