# SPDX-License-Identifier: GPL-2.0
#
# Kernel variants and QEMU boots.  Included by the top Makefile.
#
#   make kernel K=VARIANT       pinned tarball -> patched tree -> Image in
#                               $(BUILD)/kernels/VARIANT (no-op if unchanged)
#   make kernels                every kernel-patches/variants/*.variant
#   make boot K=VARIANT [CMD='shell code'] [CPU= SMP= MEM= NUMA= TIMEOUT=
#             DETERMINISTIC=1 PLUGIN=so[,args] BOOT_ARGS='more boot.sh options']
#                               boot it under QEMU, run CMD, results/<id>/
#   make kernel-pkg K=VARIANT [CONFIG=path]
#                               cross-built linux-image .deb (bindeb-pkg)
#   make series-check SERIES=NAME
#                               the series applies, checkpatch --strict has
#                               no error, every prefix builds (fingerprinted)
#   make test-vm                the pipeline's end-to-end tests
#   make test-pin               the pin fetches its own base, refuses others
#   make test-series            series-check of every series a bench
#                               variant stacks, building no Image
#                               (every prefix: series-check)
#
# PIN= (pin file) and PATCHES= (patches folder) override the defaults,
# BASE_TARBALL= supplies the pinned tarball by hand, JOBS= the kernel's
# make -j.

K ?= baseline
PATCHES ?= kernel-patches
KERNEL_ENV = BUILD=$(BUILD) PATCHES=$(PATCHES) $(if $(PIN),PIN=$(PIN)) $(if $(JOBS),JOBS=$(JOBS)) \
	$(if $(BASE_TARBALL),BASE_TARBALL=$(BASE_TARBALL))
VARIANTS = $(patsubst $(PATCHES)/variants/%.variant,%,$(wildcard $(PATCHES)/variants/*.variant))

kernel: | deps
	@$(KERNEL_ENV) harness/kernel/kbuild.sh $(K)

kernels: | deps
	@for v in $(VARIANTS); do $(KERNEL_ENV) harness/kernel/kbuild.sh $$v || exit 1; done

kernel-pkg: | deps
	@$(KERNEL_ENV) harness/kernel/kpkg.sh $(K) $(CONFIG)

BOOT_OPTS = $(if $(CPU),--cpu $(CPU)) $(if $(SMP),--smp $(SMP)) \
	$(if $(MEM),--mem $(MEM)) $(if $(NUMA),--numa $(NUMA)) \
	$(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(DETERMINISTIC),--deterministic) \
	$(if $(PLUGIN),--plugin $(PLUGIN)) $(BOOT_ARGS)

boot: tlbsim-args kernel guest-runner
	@BUILD=$(BUILD) harness/vm/boot.sh $(BOOT_OPTS) \
		--run-dir results/$(RUN_ID)-boot-$(K) $(if $(CMD),--cmd '$(subst ','\'',$(CMD))') $(K)

series-check: | deps
	@[ -n "$(SERIES)" ] || { echo "make series-check: set SERIES= (one of: $$(harness/kernel/variants.sh --series))" >&2; exit 2; }
	@$(KERNEL_ENV) harness/kernel/series-check.sh $(SERIES)

test-series: | deps
	@$(KERNEL_ENV) tests/kernel/series.sh

test-vm: guest-runner | deps
	@BUILD=$(BUILD) MAKE='$(MAKE)' tests/vm/run.sh

# make bisect finds a seeded bad patch inside a copy of a real series
# (a gate: about four kernel builds and boots).
test-bisect: $(TLBBENCH) guest-runner $(TLBSIM_SO) | deps
	@$(KERNEL_ENV) tests/kernel/bisect.sh $(TLBBENCH) $(TLBSIM_SO)

test-pin: | deps
	@BUILD=$(BUILD) MAKE='$(MAKE)' tests/kernel/pin.sh

TEST_TARGETS += test-pin test-vm test-series
DEPS_PKGS += gcc-aarch64-linux-gnu libc6-dev-arm64-cross ccache \
	bc bison flex libssl-dev libelf-dev cpio kmod rsync xz-utils dpkg-dev \
	fakeroot busybox-static:arm64 qemu-system-arm/backports python3

.PHONY: kernel kernels kernel-pkg boot series-check test-series test-vm test-pin test-bisect
