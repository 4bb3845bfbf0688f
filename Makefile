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
DEPS_PKGS := build-essential pkg-config git libjansson-dev libcmocka-dev libnuma-dev

all: build

include harness/runner/runner.mk
-include harness/kernel/kernel.mk
-include harness/tlbsim/tlbsim.mk

# Installs what is missing and prints nothing when all is present.
deps:
	@harness/deps/install.sh $(sort $(DEPS_PKGS))

build: $(BUILD_TARGETS)

PLAN ?= plans/quick.plan
RUN_ID ?= $(shell date -u +%Y%m%d-%H%M%S)

# The default plan on the running kernel.
bench-native: $(TLBBENCH) | deps
	@harness/bench-native.sh $(TLBBENCH) $(PLAN) results/$(RUN_ID)-native

bench: bench-native

# Each suite leaves its counts in $(BUILD)/test-results/<suite>; the last
# line printed is the total: "tests: N passed, N failed, N skipped".
test: $(TEST_TARGETS)
	@BUILD=$(BUILD) tests/summary $(TEST_TARGETS:test-%=%)

clean:
	rm -rf $(BUILD)

.PHONY: all deps build bench bench-native test clean
