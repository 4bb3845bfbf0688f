# SPDX-License-Identifier: GPL-2.0
#
# tlbsim.mk - build and test rules of tlbsim, the QEMU TCG plugin that
# models arm64 TLBs with contpte coalescing (issue 5).  Included by the top
# Makefile.  Verbs: test-tlbsim (unit, bare-metal guest, Linux guest when a
# kernel is built), bench-tlbsim.
# Outputs: build/tlbsim/libtlbsim.so (the plugin), test binaries, guests.

TLBSIM_DIR := harness/tlbsim
TLBSIM_TESTS := tests/tlbsim
TLBSIM_OUT := $(BUILD)/tlbsim
TLBSIM_SO := $(TLBSIM_OUT)/libtlbsim.so

TLBSIM_CORE := $(addprefix $(TLBSIM_DIR)/,tlb.c walk.c model.c decode.c \
		cores.c args.c)
TLBSIM_HDRS := $(addprefix $(TLBSIM_DIR)/,tlbsim.h tlbsim_region.h \
		qemu-plugin-abi.h)
TLBSIM_CFLAGS := -O2 -g -Wall -Wextra -std=gnu11 -I$(TLBSIM_DIR)

# The model every TCG run of the plugin uses: CORE=<preset> (cores.c) and
# TLBSIM_ARGS=<key=value,...> (geometry overrides, contpte=, ...; see
# README.md), for make bench, sweep, boot and bench-tlbsim.  The preset and
# geometry in effect reach every sample's env through the model record.
tlbsim_comma := ,
tlbsim_space := $(subst ,, )
TLBSIM_PLUGIN_ARGS := $(subst $(tlbsim_space),$(tlbsim_comma),$(strip \
	$(if $(CORE),core=$(CORE)) $(subst $(tlbsim_comma), ,$(TLBSIM_ARGS))))
TLBSIM_PLUGIN := $(TLBSIM_SO)$(if $(TLBSIM_PLUGIN_ARGS),$(tlbsim_comma)$(TLBSIM_PLUGIN_ARGS))
ifneq ($(TLBSIM_PLUGIN_ARGS),)
# make boot CORE=...: boot with the plugin (PLUGIN= if given) and that model
boot: $(TLBSIM_SO)
override PLUGIN := $(or $(PLUGIN),$(TLBSIM_SO)),$(TLBSIM_PLUGIN_ARGS)
endif

TLBSIM_CROSS := aarch64-linux-gnu-gcc
TLBSIM_GUEST_SRCS := $(TLBSIM_TESTS)/guest/start.S $(TLBSIM_TESTS)/guest/main.c
TLBSIM_GUEST_LD := $(TLBSIM_TESTS)/guest/link.ld
TLBSIM_GUEST_CFLAGS := -O2 -ffreestanding -nostdlib -nostartfiles -static \
	-fno-pie -no-pie -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -I$(TLBSIM_DIR) -Wl,-T,$(TLBSIM_GUEST_LD) \
	-Wl,--build-id=none

DEPS_PKGS += qemu-system-arm/backports gcc-aarch64-linux-gnu libjansson-dev \
	libcmocka-dev python3
BUILD_TARGETS += $(TLBSIM_SO)
TEST_TARGETS += test-tlbsim test-aa

# The plugin's argument check on the host, so that a misspelt CORE= or
# TLBSIM_ARGS= key stops bench, sweep and boot before any kernel build.
$(TLBSIM_OUT)/check-args: $(TLBSIM_DIR)/check-args.c $(TLBSIM_CORE) $(TLBSIM_HDRS) | deps
	@mkdir -p $(@D)
	$(CC) $(TLBSIM_CFLAGS) -o $@ $(TLBSIM_DIR)/check-args.c $(TLBSIM_CORE) -lm

tlbsim-args: $(TLBSIM_OUT)/check-args
	@$(if $(TLBSIM_PLUGIN_ARGS),$(TLBSIM_OUT)/check-args '$(TLBSIM_PLUGIN_ARGS)')

$(TLBSIM_SO): $(TLBSIM_DIR)/plugin.c $(TLBSIM_CORE) $(TLBSIM_HDRS) | deps
	@mkdir -p $(@D)
	$(CC) $(TLBSIM_CFLAGS) -shared -fPIC -fvisibility=hidden -o $@ \
		$(TLBSIM_DIR)/plugin.c $(TLBSIM_CORE) -ljansson -lpthread

$(TLBSIM_OUT)/test_model: $(TLBSIM_TESTS)/test_model.c $(TLBSIM_CORE) \
		$(TLBSIM_HDRS) | deps
	@mkdir -p $(@D)
	$(CC) $(TLBSIM_CFLAGS) -fsanitize=address,undefined -o $@ \
		$(TLBSIM_TESTS)/test_model.c $(TLBSIM_CORE) -lcmocka

$(TLBSIM_OUT)/guest.elf: $(TLBSIM_GUEST_SRCS) $(TLBSIM_GUEST_LD) $(TLBSIM_TESTS)/guest/guest.h \
		$(TLBSIM_DIR)/tlbsim_region.h | deps
	@mkdir -p $(@D)
	$(TLBSIM_CROSS) $(TLBSIM_GUEST_CFLAGS) -o $@ $(TLBSIM_GUEST_SRCS)

# The benchmark guests: BENCH_HIT, BENCH_L1, BENCH_L2 in guest/main.c.
TLBSIM_BENCH_MODES := hit=1 l1=2 l2=3
TLBSIM_BENCH_ELFS := $(foreach m,$(TLBSIM_BENCH_MODES), \
	$(TLBSIM_OUT)/bench-$(firstword $(subst =, ,$(m))).elf)

$(TLBSIM_OUT)/bench-%.elf: $(TLBSIM_GUEST_SRCS) $(TLBSIM_GUEST_LD) $(TLBSIM_TESTS)/guest/guest.h \
		$(TLBSIM_DIR)/tlbsim_region.h | deps
	@mkdir -p $(@D)
	$(TLBSIM_CROSS) $(TLBSIM_GUEST_CFLAGS) \
		-DTLBSIM_BENCH=$(patsubst $*=%,%,$(filter $*=%,$(TLBSIM_BENCH_MODES))) \
		-o $@ $(TLBSIM_GUEST_SRCS)

test-tlbsim-unit: $(TLBSIM_OUT)/test_model
	@BUILD=$(BUILD) tests/run-suite tlbsim-unit $<

test-tlbsim-guest: $(TLBSIM_SO) $(TLBSIM_OUT)/guest.elf
	BUILD=$(BUILD) python3 $(TLBSIM_TESTS)/run_guest_test.py --plugin $(TLBSIM_SO) \
		--guest $(TLBSIM_OUT)/guest.elf --workdir $(TLBSIM_OUT)/guest-test

# Linux guest: needs the kernel pipeline's Image; a SKIP (4) is not a failure.
test-tlbsim-linux: $(TLBSIM_SO) $(BUILD)/aarch64/bin/tlbbench
	rc=0; BUILD=$(BUILD) python3 $(TLBSIM_TESTS)/run_linux_test.py \
		--plugin $(TLBSIM_SO) --workdir $(TLBSIM_OUT)/linux-test || rc=$$?; \
	[ $$rc = 0 ] || [ $$rc = 4 ]

# Three deterministic boots of a short plan: every sample field identical.
test-tlbsim-determinism: $(TLBSIM_SO) $(BUILD)/aarch64/bin/tlbbench $(TLBBENCH)
	rc=0; BUILD=$(BUILD) python3 $(TLBSIM_TESTS)/run_determinism_test.py \
		--plugin $(TLBSIM_SO) --tlbbench $(TLBBENCH) \
		--plan $(TLBSIM_TESTS)/determinism.plan \
		--workdir $(TLBSIM_OUT)/determinism || rc=$$?; \
	[ $$rc = 0 ] || [ $$rc = 4 ]

# The exact A/A (tests/tlbsim/run_aa_test.py): two variants of identical
# code under one release suffix (aa-prefix, aa-series) must have
# byte-identical Images and, booted deterministically, equal counts in
# every field of every sample.  Builds the two kernels (a fresh clone has
# neither; nearly every object comes from the compiler cache).
test-aa: $(TLBSIM_SO) $(BUILD)/aarch64/bin/tlbbench $(TLBBENCH)
	@for v in aa-prefix aa-series; do $(KERNEL_ENV) harness/kernel/kbuild.sh $$v || exit 1; done
	rc=0; BUILD=$(BUILD) python3 $(TLBSIM_TESTS)/run_aa_test.py \
		--plugin $(TLBSIM_SO) --tlbbench $(TLBBENCH) \
		--plan $(TLBSIM_TESTS)/determinism.plan \
		--workdir $(TLBSIM_OUT)/aa || rc=$$?; \
	[ $$rc = 0 ] || [ $$rc = 4 ]

# The verdict neither way wrong (tests/report/verdict.py): an A/A pair
# (aa-prefix: code moved, release string changed) against baseline is no
# regression, the seeded flush per fault is one, only in runs that take
# faults.  It takes baseline's and aa-prefix's results of this plan from
# test-tlbsim-determinism and test-aa when they are there (make test runs
# those first), so it boots seeded-flush only.  A gate of its own until
# it has run green on this shape (then: TEST_TARGETS, after test-aa).
test-verdict: $(TLBSIM_SO) $(BUILD)/aarch64/bin/tlbbench $(TLBBENCH)
	@for v in baseline aa-prefix seeded-flush; do $(KERNEL_ENV) harness/kernel/kbuild.sh $$v || exit 1; done
	@BUILD=$(BUILD) python3 tests/report/verdict.py --plugin $(TLBSIM_SO) --tlbbench $(TLBBENCH) \
		--plan $(TLBSIM_TESTS)/determinism.plan --workdir $(TLBSIM_OUT)/verdict \
		--reuse baseline=$(TLBSIM_OUT)/determinism/run-1/baseline \
		--reuse aa-prefix=$(TLBSIM_OUT)/aa/aa-prefix

# Each part counts its own checks (tests/lib/result.py, tests/run-suite);
# the suite "tlbsim" is their sum.
test-tlbsim: test-tlbsim-unit test-tlbsim-guest test-tlbsim-linux \
	test-tlbsim-determinism
	@BUILD=$(BUILD) tests/lib/combine tlbsim tlbsim-unit tlbsim-guest tlbsim-linux \
		tlbsim-determinism

# Not a test: CPU time of the same guest work with and without the plugin,
# on a guest that hits, two that thrash, and Linux (when a kernel is built).
bench-tlbsim: $(TLBSIM_SO) $(TLBSIM_BENCH_ELFS) $(BUILD)/aarch64/bin/tlbbench $(TLBBENCH)
	python3 $(TLBSIM_DIR)/bench_tlbsim.py --plugin $(TLBSIM_SO) --tlbbench $(TLBBENCH) \
		--guests $(TLBSIM_OUT) --workdir $(TLBSIM_OUT)/bench \
		--build $(BUILD) $(if $(TLBSIM_PLUGIN_ARGS),--plugin-args=$(TLBSIM_PLUGIN_ARGS))

.PHONY: tlbsim-args test-tlbsim test-tlbsim-unit test-tlbsim-guest test-tlbsim-linux \
	test-tlbsim-determinism test-aa test-verdict bench-tlbsim
