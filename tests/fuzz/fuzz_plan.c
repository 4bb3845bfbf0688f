// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer entry for the run-plan parser: any bytes are a plan's text.
 * plan_parse() must either succeed with runs whose every argument is
 * "--key=value", or fail with a message naming the plan; never crash,
 * leak or read out of bounds (ASan, UBSan and LeakSanitizer watch).
 * Built and run by "make fuzz-plan".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan plan;
	char err[512];
	char *text;
	size_t r;
	int j;

	/* a plan is text: the parser reads up to the first NUL */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (plan_parse("fuzz.plan", text, &plan, err, sizeof(err))) {
		if (strncmp(err, "fuzz.plan", 9))
			abort();	/* every error names the file */
		if (plan.runs || plan.n)
			abort();	/* a failed parse leaves nothing behind */
	} else {
		for (r = 0; r < plan.n; r++) {
			if (!plan.runs[r].wl)
				abort();
			for (j = 0; j < plan.runs[r].argc; j++)
				if (strncmp(plan.runs[r].argv[j], "--", 2) ||
				    !strchr(plan.runs[r].argv[j], '='))
					abort();
		}
		plan_free(&plan);
	}
	free(text);
	return 0;
}
