# SPDX-License-Identifier: GPL-2.0
#
# Proofs for the arm64 contpte series (kernel-patches/contpte), included by
# the top Makefile.  Kernel builds go through the shared pipeline
# (harness/kernel/lib.sh: one build at a time, ccache, one worktree).
#
#   contpte-identity   patch 2 (the private/public PTE split) changes no
#                      object: every .o of arch/arm64/ and mm/ of an arm64
#                      bench build (DIRS=vmlinux: the whole kernel), patch 1
#                      vs patch 2, compared with objcmp (two partial kernel
#                      builds, served by the compiler cache when
#                      series-check has run)
#   contpte-demo       folding observed and tlb_reach off/on under the
#                      TLB model (one TCG boot; prints the refill ratio)

contpte-identity: $(BUILD)/ptep/objcmp | deps
	@$(KERNEL_ENV) $(if $(DIRS),DIRS='$(DIRS)') harness/contpte/identity.sh contpte-identity

.PHONY: contpte-identity

# make contpte-demo [K=contpte]: one deterministic TCG boot with the TLB
# model: folding observed (debugfs stats and blocks) and tlb_reach on
# anon-thp-pte with contpte on and off; prints the L1D/L2 refill ratio.
contpte-demo: guest-runner $(TLBBENCH) $(TLBSIM_SO) | deps
	@$(KERNEL_ENV) harness/contpte/demo.sh $(TLBBENCH) $(TLBSIM_PLUGIN) $(or $(K),contpte) \
		results/$(RUN_ID)-contpte-demo

.PHONY: contpte-demo
