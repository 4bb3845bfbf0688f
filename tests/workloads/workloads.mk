# SPDX-License-Identifier: GPL-2.0
#
# Workloads on every backing (natively and in a TCG guest), the XFS image
# the xfs backing mounts, and the plan parser's fuzzer.  Included by the
# top Makefile.

# An empty XFS filesystem for the xfs backing, loop-mounted by the
# workload ($TLBBENCH_XFS_IMAGE).  96M: room for the plans' sizes, small
# enough to unpack in a guest's tmpfs.  mkfs.xfs refuses filesystems under
# 300M unless it believes it is run by fstests, hence QA_CHECK_FS.
XFS_IMAGE := $(BUILD)/xfs/xfs.img

$(XFS_IMAGE): | deps
	@mkdir -p $(@D)
	rm -f $@.tmp
	truncate -s 96M $@.tmp
	QA_CHECK_FS=1 TEST_DIR=1 TEST_DEV=1 mkfs.xfs -q $@.tmp
	mv $@.tmp $@

xfs-image: $(XFS_IMAGE)

test-workloads: $(TLBBENCH) $(XFS_IMAGE)
	@tests/workloads/native.sh $(TLBBENCH) $(XFS_IMAGE)

test-workloads-guest: $(TLBBENCH) guest-runner $(XFS_IMAGE) | deps
	@tests/workloads/guest.sh $(TLBBENCH) $(XFS_IMAGE)

# The plan parser under libFuzzer with ASan and UBSan, for FUZZ_SECONDS,
# seeded with the shipped plans and the unit tests' bad plans.
FUZZ_SECONDS ?= 60
FUZZ_CC := clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-std=gnu11 -D_GNU_SOURCE -DTLBBENCH_VERSION='"fuzz"' -Iharness/runner -Iworkloads
FUZZ_SRCS := tests/fuzz/fuzz_plan.c $(RUNNER_LIB_SRCS) $(WORKLOAD_SRCS)

$(BUILD)/fuzz/fuzz_plan: $(FUZZ_SRCS) $(RUNNER_HDRS) | deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(FUZZ_SRCS) $(RUNNER_LIBS)

fuzz-plan: $(BUILD)/fuzz/fuzz_plan
	@tests/fuzz/run.sh $< $(FUZZ_SECONDS)

TEST_TARGETS += test-workloads test-workloads-guest
DEPS_PKGS += xfsprogs clang

.PHONY: xfs-image test-workloads test-workloads-guest fuzz-plan
