// SPDX-License-Identifier: GPL-2.0
/*
 * Environment record: kernel, CPU, memory-management settings, host and
 * the context a harness passed in.  Values that cannot be read are null,
 * never invented.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>
#include <numa.h>

#include "env.h"
#include "sysfs.h"

static json_t *text_or_null(const char *path)
{
	char buf[4096];

	return read_small_file(path, buf, sizeof(buf)) ? json_null() : json_string(buf);
}

static json_t *getenv_or_null(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? json_string(v) : json_null();
}

int env_read_sysfs_choice(const char *path, char *buf, size_t len)
{
	char raw[512], *open, *close;

	if (read_small_file(path, raw, sizeof(raw)))
		return -1;
	open = strchr(raw, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close) {
		*close = '\0';
		snprintf(buf, len, "%s", open + 1);
	} else {
		snprintf(buf, len, "%s", raw);
	}
	return 0;
}

const char *env_target(char *err, size_t errlen)
{
	static const char *const targets[] = { "native", "tcg", "kvm" };
	const char *t = getenv(ENV_TARGET);
	size_t i;

	if (!t || !*t)
		return "native";
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (!strcmp(t, targets[i]))
			return targets[i];
	snprintf(err, errlen, "%s=%s: not one of native, tcg, kvm", ENV_TARGET, t);
	return NULL;
}

json_t *env_variant(const char *release)
{
	static const char tag[] = "-tlbbench-";
	const char *v = getenv(ENV_VARIANT), *p;

	if (v && *v)
		return json_string(v);
	p = release ? strstr(release, tag) : NULL;
	return p && p[sizeof(tag) - 1] ? json_string(p + sizeof(tag) - 1) : json_null();
}

/* Every file of a sysfs knob directory as name -> selected value. */
static json_t *knob_dir(const char *dir)
{
	struct dirent *de;
	json_t *obj;
	DIR *d = opendir(dir);

	if (!d)
		return json_null();
	obj = json_object();
	while ((de = readdir(d))) {
		char path[512], val[256];

		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!env_read_sysfs_choice(path, val, sizeof(val)))
			json_object_set_new(obj, de->d_name, json_string(val));
	}
	closedir(d);
	return obj;
}

static json_t *cpu_info(const struct utsname *u)
{
	json_t *cpu = json_object();
	char line[512], model[256] = "";
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		/* x86 says "model name", arm64 kernels print no model name */
		if (colon && !strncmp(line, "model name", 10)) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	json_object_set_new(cpu, "arch", json_string(u->machine));
	json_object_set_new(cpu, "model", model[0] ? json_string(model) : json_null());
	json_object_set_new(cpu, "midr",
			    text_or_null("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1"));
	json_object_set_new(cpu, "online", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	return cpu;
}

json_t *env_collect(const char *target)
{
	json_t *env = json_object(), *kernel = json_object(), *mm = json_object();
	struct utsname u;
	char host[256] = "";

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	json_object_set_new(kernel, "release", json_string(u.release));
	json_object_set_new(kernel, "version", json_string(u.version));
	json_object_set_new(kernel, "cmdline", text_or_null("/proc/cmdline"));
	json_object_set_new(kernel, "variant", env_variant(u.release));
	json_object_set_new(kernel, "config_sha256", getenv_or_null(ENV_CONFIG_SHA256));
	/* "" is a variant without patches; null, a runner started by hand */
	json_object_set_new(kernel, "series", getenv(ENV_SERIES) ?
			    json_string(getenv(ENV_SERIES)) : json_null());
	json_object_set_new(env, "kernel", kernel);

	json_object_set_new(env, "cpu", cpu_info(&u));
	json_object_set_new(mm, "page_size", json_integer(sysconf(_SC_PAGESIZE)));
	json_object_set_new(mm, "numa_nodes",
			    json_integer(numa_available() < 0 ? 1 : numa_max_node() + 1));
	json_object_set_new(mm, "thp", knob_dir("/sys/kernel/mm/transparent_hugepage"));
	json_object_set_new(mm, "contpte", knob_dir("/sys/kernel/mm/contpte"));
	json_object_set_new(mm, "numa_balancing", text_or_null("/proc/sys/kernel/numa_balancing"));
	json_object_set_new(env, "mm", mm);

	gethostname(host, sizeof(host) - 1);
	json_object_set_new(env, "hostname", json_string(host));
	json_object_set_new(env, "target", json_string(target));
	json_object_set_new(env, "qemu_version", getenv_or_null(ENV_QEMU_VERSION));
	json_object_set_new(env, "qemu_cpu", getenv_or_null(ENV_QEMU_CPU));
	json_object_set_new(env, "deterministic", json_boolean(getenv(ENV_DETERMINISTIC) &&
							      !strcmp(getenv(ENV_DETERMINISTIC), "1")));
	/* filled in when tlbsim counters are merged into a tcg run */
	json_object_set_new(env, "tlb_model", json_null());
	return env;
}
