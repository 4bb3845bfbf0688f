# SPDX-License-Identifier: GPL-2.0
#
# Proofs for the ptep_deref() series (kernel-patches/ptep-deref), included
# by the top Makefile.  Fast suites run in "make test"; the slow, full
# builds have their own targets.  Every kernel build is serialised on
# $(BUILD)/.kbuild.lock and goes through ccache ($(BUILD)/ccache).
#
#   test-ptep-tools    objcmp and noderef-filter on synthetic inputs; the
#                      shipped ptep_deref() default rejects an assignment
#                      and a pmd_t * argument and evaluates its argument once
#   test-ptep-series   every prefix compiles the touched objects (arm64,
#                      bench config); the patches outside PTEP_CODE_PATCHES
#                      (lib.sh) leave them byte-identical, the others list
#                      what they change (git am and checkpatch: make
#                      series-check SERIES=ptep-deref)
#   test-ptep-noderef  clang noderef check of the touched objects on arm64
#                      (coverage config), x86_64 and i386; negative test
#   test-ptep-highmem  32-bit arm HIGHMEM+HIGHPTE build of mm/memory.o
#   test-ptep-vmap-pfn (a gate) patch 1 at run time: the ptep-deref-vmaptest kernel
#                      (series + test-only vmap_pfn() self-test) boots
#                      under TCG and its self-test passes
#   ptep-vmap-pfn-mutant  the same, plus a kernel with patch 1 broken on
#                      which the self-test must fail (one more build)
#   ptep-identity-full whole vmlinux objects, bench and coverage configs,
#                      the object-identical run (patches 1-2 vs 1-6), one
#                      worktree, nothing masked (slow)
#   ptep-noderef-full  noderef check over whole directories (slow)

PTEP_TOOLS := $(BUILD)/ptep/objcmp $(BUILD)/ptep/noderef-filter
PTEP_CC ?= cc

$(BUILD)/ptep/%: harness/ptep/%.c | deps
	@mkdir -p $(@D)
	$(PTEP_CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -o $@ $<

ptep-tools: $(PTEP_TOOLS)

test-ptep-tools: $(PTEP_TOOLS) | deps
	@harness/ptep/tools-test.sh ptep-tools

test-ptep-series: $(PTEP_TOOLS) | deps
	@harness/ptep/series-check.sh ptep-series kernel-patches/configs/bench.config

test-ptep-noderef: $(PTEP_TOOLS) | deps
	@harness/ptep/noderef.sh ptep-noderef fast

test-ptep-highmem: | deps
	@harness/ptep/highmem.sh ptep-highmem

test-ptep-vmap-pfn: guest-runner | deps
	@harness/ptep/vmap-pfn.sh ptep-vmap-pfn

ptep-vmap-pfn-mutant: guest-runner | deps
	@harness/ptep/vmap-pfn.sh ptep-vmap-pfn-mutant mutant

ptep-identity-full: $(PTEP_TOOLS) | deps
	@harness/ptep/identity-full.sh ptep-identity-bench kernel-patches/configs/bench.config
	@harness/ptep/identity-full.sh ptep-identity-coverage kernel-patches/configs/bench.config harness/ptep/coverage.config

ptep-noderef-full: $(PTEP_TOOLS) | deps
	@harness/ptep/noderef.sh ptep-noderef-full full

# test-ptep-vmap-pfn is a gate of its own, not in make test: its kernel has
# a config of its own (TEST_VMAP_PFN), so a whole build no other suite
# shares, and a boot; patch 1 changes rarely, and make test must stay
# under an hour on two cores.
TEST_TARGETS += test-ptep-tools test-ptep-series test-ptep-noderef test-ptep-highmem
DEPS_PKGS += gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf \
	clang lld llvm flex bison bc libelf-dev libssl-dev perl ccache

.PHONY: ptep-tools test-ptep-tools test-ptep-series test-ptep-noderef \
	test-ptep-highmem test-ptep-vmap-pfn ptep-vmap-pfn-mutant \
	ptep-identity-full ptep-noderef-full

# The fast series check with the wider coverage config (KASAN, KVM, ...):
# more objects, slower, not part of make test.
ptep-series-coverage: $(PTEP_TOOLS) | deps
	@harness/ptep/series-check.sh ptep-series-coverage kernel-patches/configs/bench.config harness/ptep/coverage.config

.PHONY: ptep-series-coverage

# The v2 cover letter's measurement: the series with its plain
# ptep_deref() against the same with READ_ONCE() (ptep-deref-readonce),
# booted deterministically with the TLB model on the determinism plan;
# prints guest instructions per op, user and kernel.  Two kernel builds
# and two boots.
PTEP_READONCE_PLAN ?= tests/tlbsim/determinism.plan
ptep-readonce: $(TLBSIM_SO) $(BUILD)/aarch64/bin/tlbbench $(TLBBENCH) | deps
	@for v in ptep-deref ptep-deref-readonce; do $(KERNEL_ENV) harness/kernel/kbuild.sh $$v || exit 1; done
	@rm -rf $(BUILD)/ptep-work/readonce
	@BUILD=$(BUILD) harness/bench-tcg.sh $(TLBBENCH) $(TLBSIM_SO) $(PTEP_READONCE_PLAN) \
		$(BUILD)/ptep-work/readonce ptep-deref ptep-deref-readonce
	@python3 harness/ptep/readonce.py $(BUILD)/ptep-work/readonce ptep-deref ptep-deref-readonce \
		| tee $(BUILD)/ptep-work/readonce/readonce.txt

.PHONY: ptep-readonce
