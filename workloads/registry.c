// SPDX-License-Identifier: GPL-2.0
/*
 * The workload registry, expanded from registry.h: one extern declaration
 * and one table slot per line there.
 */
#include <string.h>

#include "workload.h"

#define WORKLOAD(n) extern const struct workload wl_##n;
#include "registry.h"
#undef WORKLOAD

const struct workload *const workloads[] = {
#define WORKLOAD(n) &wl_##n,
#include "registry.h"
#undef WORKLOAD
};

const size_t nr_workloads = sizeof(workloads) / sizeof(workloads[0]);

const struct workload *workload_find(const char *name)
{
	size_t i;

	for (i = 0; i < nr_workloads; i++)
		if (!strcmp(workloads[i]->name, name))
			return workloads[i];
	return NULL;
}
