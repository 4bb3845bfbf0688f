# SPDX-License-Identifier: GPL-2.0
#
# tlbbench front door.  Verbs: deps build bench test clean (and the kernel,
# boot, tlbsim verbs from the included fragments).  Every build output goes
# under build/; results go under results/<run-id>/.

.DELETE_ON_ERROR:
.SUFFIXES:
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

BUILD ?= build
export BUILD
NPROC := $(shell nproc)

# Debian packages, by part of the suite.  Fragments append to DEPS_PKGS.
# The host runner (tlbbench run, plan, compare) needs only RUNNER_PKGS.
RUNNER_PKGS := build-essential pkg-config git libjansson-dev libnuma-dev libgsl-dev
DEPS_PKGS := $(RUNNER_PKGS) libcmocka-dev

all: build

# Every fragment is part of the suite: a missing one is an error, not a
# silently smaller Makefile.
include harness/runner/runner.mk
include harness/kernel/kernel.mk
include harness/tlbsim/tlbsim.mk
include harness/ptep/ptep.mk
include harness/contpte/contpte.mk
include tests/workloads/workloads.mk
include plots/plots.mk
include harness/rootfs/rootfs.mk
include tests/contpte/contpte.mk

# Installs what is missing and prints nothing when all is present.
deps:
	@harness/deps/install.sh $(sort $(DEPS_PKGS))

deps-runner:
	@harness/deps/install.sh $(sort $(RUNNER_PKGS))

build: $(BUILD_TARGETS)

PLAN ?= plans/quick.plan
RUN_ID ?= $(shell date -u +%Y%m%d-%H%M%S)
# tcg: built kernels in QEMU with the TLB model (any host); native: the
# running kernel (on arm64 hardware, a tlbbench kernel package booted).
# Under tcg, CORE=<preset> [TLBSIM_ARGS=key=value,...] choose the modelled
# core (default cortex-a76) for bench, sweep and boot; see tlbsim.mk.
TARGET ?= tcg
# every variant not marked bench=no, baseline first
BENCH_VARIANTS ?= $(shell harness/kernel/variants.sh)

# The plan on the running kernel.
bench-native: $(TLBBENCH) | deps-runner
	@harness/bench-native.sh $(TLBBENCH) $(PLAN) results/$(RUN_ID)-native

# The plan in a TCG guest of each variant, model counters merged in, and
# the report comparing every variant against baseline.
bench-tcg: tlbsim-args $(TLBBENCH) guest-runner $(TLBSIM_SO) $(XFS_IMAGE) | deps
	@$(KERNEL_ENV) harness/bench.sh $(TLBBENCH) $(TLBSIM_PLUGIN) $(PLAN) \
		results/$(RUN_ID)-tcg $(BENCH_VARIANTS)

# make report BASE=results/<run>/baseline NEW="results/<run>/ptep-deref ..."
# [OUT=folder] [COMPARE_FLAGS="--threshold=2"]: the four report forms and
# figures; exit 1 on a significant regression beyond the threshold.
report: $(TLBBENCH) | deps
	@[ -n "$(BASE)" ] && [ -n "$(NEW)" ] || { echo "make report: set BASE= and NEW=" >&2; exit 2; }
	@COMPARE_FLAGS="$(COMPARE_FLAGS)" harness/report.sh $(TLBBENCH) \
		$(or $(OUT),results/report-$(RUN_ID)) $(BASE) $(NEW)

bench: bench-$(TARGET)

# make sweep KNOB=<knob> VALUES="v1 v2 ..." [VARIANT=baseline] [PLAN=...]:
# the plan once per value in one TCG boot with the TLB model, and the
# trade-off report.  KNOB is a path under /sys/kernel/mm (runtime: the
# contpte knobs, transparent_hugepage/enabled, ...) or a workload option.
SWEEP_PLAN ?= plans/sweep.plan
sweep: tlbsim-args $(TLBBENCH) guest-runner $(TLBSIM_SO) $(XFS_IMAGE) | deps
	@[ -n "$(KNOB)" ] && [ -n "$(VALUES)" ] || { echo "make sweep: set KNOB= and VALUES=" >&2; exit 2; }
	@$(KERNEL_ENV) harness/kernel/kbuild.sh $(or $(VARIANT),baseline)
	@$(KERNEL_ENV) harness/sweep.sh $(TLBBENCH) $(TLBSIM_PLUGIN) $(if $(filter command line,$(origin PLAN)),$(PLAN),$(SWEEP_PLAN)) \
		results/$(RUN_ID)-sweep-$(subst /,.,$(KNOB)) $(or $(VARIANT),baseline) $(KNOB) $(VALUES)

# make upstream-ratios: the upstream 6.12 reference kernels, contpte off
# and on (CONFIG_ARM64_CONTPTE), on plans/contpte.plan under the model,
# and what contpte buys and costs there as ratios (harness/report/ratios.py).
upstream-ratios: tlbsim-args $(TLBBENCH) guest-runner $(TLBSIM_SO) $(XFS_IMAGE) | deps
	@run=results/$(RUN_ID)-upstream; \
	$(KERNEL_ENV) harness/bench.sh $(TLBBENCH) $(TLBSIM_PLUGIN) $(CONTPTE_PLAN) $$run \
		upstream-6.12 upstream-6.12-contpte; \
	python3 harness/report/ratios.py --title "upstream 6.12" $$run/against-upstream-6.12/report.json

# make contpte-ratios [VARIANT=contpte] [UPSTREAM=results/<run>-upstream]:
# the contpte series' benchmark targets as ratios (harness/contpte-ratios.sh):
# its switch off and on in one boot, against baseline, next to upstream's.
CONTPTE_PLAN ?= plans/contpte.plan
contpte-ratios: tlbsim-args $(TLBBENCH) guest-runner $(TLBSIM_SO) $(XFS_IMAGE) | deps
	@$(KERNEL_ENV) $(if $(UPSTREAM),UPSTREAM=$(UPSTREAM)) harness/contpte-ratios.sh $(TLBBENCH) \
		$(TLBSIM_PLUGIN) $(CONTPTE_PLAN) results/$(RUN_ID)-contpte-ratios $(or $(VARIANT),contpte)

# make layout-noise [PLAN=...]: the A/A spread of code layout alone
# (baseline against layout-pad, the same code moved, deterministic), kept
# in $(BUILD)/layout-noise/report.json; bench states it in every footer.
layout-noise: tlbsim-args $(TLBBENCH) guest-runner $(TLBSIM_SO) | deps
	@$(KERNEL_ENV) harness/layout-noise.sh $(TLBBENCH) $(TLBSIM_PLUGIN) $(PLAN)

# make bisect VARIANT=V [WORKLOAD=W OPTIONS="k=v ..." METRIC=M] [REPORT=DIR]:
# the first patch of V beyond what it is compared against whose
# deterministic counts of M move (harness/bisect.sh); without WORKLOAD,
# the first regression in REPORT=DIR/report.json.
bisect: tlbsim-args $(TLBBENCH) guest-runner $(TLBSIM_SO) | deps
	@[ -n "$(VARIANT)" ] && { [ -n "$(WORKLOAD)" ] || [ -n "$(REPORT)" ]; } || \
		{ echo "make bisect: set VARIANT= and WORKLOAD= METRIC= (OPTIONS=), or REPORT=" >&2; exit 2; }
	@$(KERNEL_ENV) harness/bisect.sh $(TLBBENCH) $(TLBSIM_SO) $(VARIANT) "$(WORKLOAD)" \
		"$(OPTIONS)" "$(METRIC)" $(REPORT)

# Each suite leaves its counts in $(BUILD)/test-results/<suite>; the last
# line printed is the total: "tests: N passed, N failed, N skipped".
test: $(TEST_TARGETS)
	@BUILD=$(BUILD) tests/summary $(TEST_TARGETS:test-%=%)

clean:
	rm -rf $(BUILD)

.PHONY: all deps deps-runner build bench bench-native bench-tcg report sweep bisect layout-noise \
	upstream-ratios contpte-ratios \
	test clean
