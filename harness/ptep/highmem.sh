#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-ptep-highmem: the ptep_deref() series where pte_unmap() is not
# empty.  On 32-bit arm (gcc-arm-linux-gnueabihf) with HIGHMEM and HIGHPTE,
# compile mm/memory.o and mm/highmem.o after the do_swap_page() fix
# (patch 3) and after the whole series; each build is one test.  The
# device-private branch itself is compiled out there: 6.1 offers
# DEVICE_PRIVATE only on 64-bit architectures, none of which has HIGHPTE.
#
# Usage: highmem.sh SUITE
set -eu
suite=${1:?usage: highmem.sh SUITE}
. harness/ptep/lib.sh

work=$TOP/$BUILD/ptep-work/t/$suite
mkdir -p "$work"
pass=0 fail=0
fix=$(series_list | grep -n 'fix-failure-to-unmap-pte' | cut -d: -f1)
[ -n "$fix" ] || die "the series has no pte unmap fix"
tree_at "$suite" "$fix"
src=$tree obj=$work/obj
ARM32="ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-"
# shellcheck disable=SC2086
kconfig "$src" "$obj" "$TOP/harness/ptep/arm32.config" $ARM32

build() {
	rm -f "$obj/mm/memory.o" "$obj/mm/highmem.o"
	# shellcheck disable=SC2086
	if kmake "$src" "$obj" $ARM32 mm/memory.o mm/highmem.o > "$work/build-$1.log" 2>&1 &&
		[ -e "$obj/mm/memory.o" ] && [ -e "$obj/mm/highmem.o" ]; then
		say "PASS arm HIGHPTE: mm/memory.o and mm/highmem.o build $2"
		pass=$((pass + 1))
	else
		say "FAIL arm HIGHPTE: build $2 failed ($work/build-$1.log)"
		fail=$((fail + 1))
	fi
}
build fix "with patches 1-$fix"
for p in $(series_list | tail -n +"$((fix + 1))"); do
	gitq -C "$src" am -q "$SERIES_DIR/$p" || die "$p does not apply"
done
build all "with the whole series"

result "$suite" "$pass" "$fail" 0
[ "$fail" = 0 ]
