# SPDX-License-Identifier: GPL-2.0
#
# The runner (tlbbench) and the workloads, built for the host and, statically,
# for arm64 guests.  Included by the top Makefile.

RUNNER_SRCS := $(wildcard harness/runner/*.c)
RUNNER_LIB_SRCS := $(filter-out harness/runner/main.c,$(RUNNER_SRCS))
WORKLOAD_SRCS := $(wildcard workloads/*.c)
RUNNER_HDRS := $(wildcard harness/runner/*.h workloads/*.h) workloads/registry.h \
	$(wildcard harness/tlbsim/tlbsim_region.h)

# snprintf truncation is deliberate (bounded buffers), so that warning is off
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation
RUNNER_CFLAGS := -O2 -g -std=gnu11 -D_GNU_SOURCE $(WARN) \
	-Iharness/runner -Iworkloads -Iharness/tlbsim
RUNNER_LIBS := -ljansson -lnuma -lm

# The version goes into every results file; the stamp changes only when it does.
TLBBENCH_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(TLBBENCH_VERSION)' | cmp -s - $@ || echo '$(TLBBENCH_VERSION)' > $@
FORCE:

# $(call runner_objs,ARCH-DIR)
runner_objs = $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(RUNNER_LIB_SRCS) $(WORKLOAD_SRCS))

HOST_CC ?= cc
GUEST_CC ?= aarch64-linux-gnu-gcc

$(BUILD)/host/obj/%.o: %.c $(RUNNER_HDRS) $(BUILD)/version.stamp | deps-runner
	@mkdir -p $(@D)
	$(HOST_CC) $(RUNNER_CFLAGS) -DTLBBENCH_VERSION='"$(TLBBENCH_VERSION)"' -c -o $@ $<

$(BUILD)/aarch64/obj/%.o: %.c $(RUNNER_HDRS) $(BUILD)/version.stamp | deps
	@mkdir -p $(@D)
	$(GUEST_CC) $(RUNNER_CFLAGS) -DTLBBENCH_VERSION='"$(TLBBENCH_VERSION)"' -c -o $@ $<

$(BUILD)/host/libtlbbench.a: $(call runner_objs,host)
	ar rcs $@ $^

$(BUILD)/aarch64/libtlbbench.a: $(call runner_objs,aarch64)
	ar rcs $@ $^

# compare and the report forms (harness/report/) exist on the host only:
# they need GSL, and nobody compares results inside a guest.
REPORT_SRCS := $(wildcard harness/report/*.c)
REPORT_HDRS := $(wildcard harness/report/*.h)
REPORT_LIBS := -lgsl -lgslcblas -lm

$(BUILD)/host/report/%.o: harness/report/%.c $(REPORT_HDRS) $(RUNNER_HDRS) | deps-runner
	@mkdir -p $(@D)
	$(HOST_CC) $(RUNNER_CFLAGS) -Iharness/report -c -o $@ $<

$(BUILD)/host/libreport.a: $(patsubst harness/report/%.c,$(BUILD)/host/report/%.o,$(REPORT_SRCS))
	ar rcs $@ $^

$(BUILD)/host/obj/harness/runner/main.o: RUNNER_CFLAGS += -DTLBBENCH_HAVE_COMPARE -Iharness/report
$(BUILD)/host/obj/harness/runner/main.o: $(REPORT_HDRS)

$(BUILD)/host/bin/tlbbench: $(BUILD)/host/obj/harness/runner/main.o $(BUILD)/host/libreport.a \
		$(BUILD)/host/libtlbbench.a
	@mkdir -p $(@D)
	$(HOST_CC) -o $@ $^ $(RUNNER_LIBS) $(REPORT_LIBS)

# Static, so the guest initramfs needs no shared libraries.
$(BUILD)/aarch64/bin/tlbbench: $(BUILD)/aarch64/obj/harness/runner/main.o $(BUILD)/aarch64/libtlbbench.a
	@mkdir -p $(@D)
	$(GUEST_CC) -static -o $@ $^ $(RUNNER_LIBS)

TLBBENCH := $(BUILD)/host/bin/tlbbench

runner: $(TLBBENCH)
guest-runner: $(BUILD)/aarch64/bin/tlbbench

# Unit tests (cmocka): one binary per tests/unit/test_*.c, linked to the runner.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/host/tests/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/host/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/host/libreport.a \
		$(BUILD)/host/libtlbbench.a
	@mkdir -p $(@D)
	$(HOST_CC) $(RUNNER_CFLAGS) -Itests/unit -Iharness/report \
		-DTLBBENCH_VERSION='"$(TLBBENCH_VERSION)"' -o $@ $< $(BUILD)/host/libreport.a \
		$(BUILD)/host/libtlbbench.a $(RUNNER_LIBS) $(REPORT_LIBS) -lcmocka

test-unit: $(UNIT_TESTS) $(TLBBENCH)
	@tests/run-suite unit $(UNIT_TESTS)

BUILD_TARGETS += runner guest-runner
TEST_TARGETS += test-unit
DEPS_PKGS += libgsl-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross libjansson-dev:arm64 libnuma-dev:arm64

.PHONY: runner guest-runner test-unit FORCE

# The report pipeline around compare: make report, profiles, sweep checks.
test-report: $(TLBBENCH) | deps
	@BUILD=$(BUILD) tests/report/run.sh $(TLBBENCH)

TEST_TARGETS += test-report
DEPS_PKGS += linux-perf
.PHONY: test-report
