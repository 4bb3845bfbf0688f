# SPDX-License-Identifier: GPL-2.0
#
# The guests' root filesystem: Debian bookworm arm64 with gcc, make and
# perf, and the pinned kernel source, as an ext4 image for
# harness/vm/boot.sh --disk.  Included by the top Makefile.
#
#   make rootfs          $(ROOTFS_IMG) (no-op while the package list, the
#                        build script and the kernel pin are unchanged)
#   make test-kbuild     the image, and kbuild mini booted from it under TCG
#                        with the TLB model (about 25 minutes here; not in make test)

ROOTFS_IMG := $(BUILD)/rootfs/bookworm-arm64.ext4

rootfs: | deps
	@BUILD=$(BUILD) harness/rootfs/build.sh harness/rootfs/packages $(ROOTFS_IMG)

# The test builds the image itself (and checks a second build is a no-op).
test-kbuild: $(TLBBENCH) guest-runner $(TLBSIM_SO) | deps
	@$(KERNEL_ENV) harness/kernel/kbuild.sh baseline
	@BUILD=$(BUILD) MAKE='$(MAKE)' tests/kbuild/run.sh $(TLBBENCH) $(TLBSIM_SO) $(ROOTFS_IMG)

# linux-perf: tlbbench run --profile on the host
DEPS_PKGS += mmdebstrap e2fsprogs python3 linux-perf

.PHONY: rootfs test-kbuild
