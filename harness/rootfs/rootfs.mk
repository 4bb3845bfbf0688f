# SPDX-License-Identifier: GPL-2.0
#
# The guests' root filesystem: Debian bookworm arm64 with gcc, make and
# perf, and the pinned kernel source, as an ext4 image for
# harness/vm/boot.sh --disk.  Included by the top Makefile.
#
#   make rootfs          $(ROOTFS_IMG) (no-op while the package list, the
#                        build script and the kernel pin are unchanged)

ROOTFS_IMG := $(BUILD)/rootfs/bookworm-arm64.ext4

rootfs: | deps
	@BUILD=$(BUILD) harness/rootfs/build.sh harness/rootfs/packages $(ROOTFS_IMG)

DEPS_PKGS += mmdebstrap e2fsprogs linux-source-6.1

.PHONY: rootfs
