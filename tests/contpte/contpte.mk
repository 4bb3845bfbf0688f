# SPDX-License-Identifier: GPL-2.0
#
# The contpte data-integrity stress (tests/contpte/integrity.c): built for
# the host (a quick native self-test) and, statically, for arm64 guests.
# Included by the top Makefile.
#
#   make test-contpte-integrity   native self-test, the injected corruption
#                                 caught, and a bounded run in a baseline
#                                 TCG guest (INTEGRITY_TEST_OPS=20000,
#                                 under a minute in the guest)
#   make contpte-stress [K=VARIANT] [STRESS_OPS=1000000] [STRESS_ARGS=...]
#             [STRESS_EXPECT=pass|corrupt] [STRESS_TIMEOUT=seconds]
#                                 the long gate: STRESS_OPS operations in a
#                                 guest of K (default baseline)

INTEGRITY_SRCS := tests/contpte/integrity.c harness/runner/emit.c \
	harness/runner/contpte.c harness/runner/sysfs.c
INTEGRITY_HOST := $(BUILD)/host/bin/contpte-integrity
INTEGRITY_GUEST := $(BUILD)/aarch64/bin/contpte-integrity
INTEGRITY_LIBS := -ljansson -lpthread

$(INTEGRITY_HOST): $(INTEGRITY_SRCS) $(RUNNER_HDRS) | deps-runner
	@mkdir -p $(@D)
	$(HOST_CC) $(RUNNER_CFLAGS) -o $@ $(INTEGRITY_SRCS) $(INTEGRITY_LIBS)

$(INTEGRITY_GUEST): $(INTEGRITY_SRCS) $(RUNNER_HDRS) | deps
	@mkdir -p $(@D)
	$(GUEST_CC) $(RUNNER_CFLAGS) -static -o $@ $(INTEGRITY_SRCS) $(INTEGRITY_LIBS)

test-contpte-integrity: $(INTEGRITY_HOST) $(INTEGRITY_GUEST) guest-runner | deps
	@BUILD=$(BUILD) MAKE='$(MAKE)' INTEGRITY_TEST_OPS=$(or $(INTEGRITY_TEST_OPS),20000) \
		tests/contpte/integrity.sh test $(INTEGRITY_HOST) $(INTEGRITY_GUEST)

STRESS_OPS ?= 1000000
STRESS_EXPECT ?= pass
contpte-stress: $(INTEGRITY_GUEST) guest-runner | deps
	@BUILD=$(BUILD) MAKE='$(MAKE)' $(if $(STRESS_TIMEOUT),STRESS_TIMEOUT=$(STRESS_TIMEOUT)) \
		tests/contpte/integrity.sh stress $(INTEGRITY_GUEST) $(K) $(STRESS_OPS) \
		$(STRESS_EXPECT) $(STRESS_ARGS)

BUILD_TARGETS += $(INTEGRITY_HOST)
# about a minute in all (native runs, the guest boot and 20000 ops)
TEST_TARGETS += test-contpte-integrity
.PHONY: test-contpte-integrity contpte-stress
