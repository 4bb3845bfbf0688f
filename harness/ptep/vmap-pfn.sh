#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-ptep-vmap-pfn: the run-time proof of patch 1 ("mm: vmalloc
# must set pte via arch code").  Builds the ptep-deref-vmaptest variant
# (the series plus the test-only boot-time self-test of vmap_pfn() in
# kernel-patches/vmap-pfn-selftest), boots it under TCG with 1G of RAM,
# of which the variant's mem=768M hides 256M from the kernel, and checks
# the guest's kernel log: the self-test ran on that kernel, its two cases
# (RAM written through memremap() and read back through vmap_pfn() and
# vice versa, with the PTEs checked; a PrimeCell device's ID registers)
# passed, and nothing warned.
#
# With "mutant" as second argument it also builds and boots the same
# kernel with patch 1 broken (the PFN index is never advanced, so every
# page maps the first frame) and requires the self-test to fail its RAM
# case there: the proof can fail.  That is one more kernel build.
#
# Usage: vmap-pfn.sh SUITE [mutant]
set -eu
suite=${1:?usage: vmap-pfn.sh SUITE [mutant]}
mode=${2:-}
. harness/ptep/lib.sh

variant=ptep-deref-vmaptest
work=$TOP/$BUILD/ptep-work/$suite
rm -rf "$work"
mkdir -p "$work"
pass=0 fail=0

ok() { say "PASS $*"; pass=$((pass + 1)); }
bad() { say "FAIL $*"; fail=$((fail + 1)); }

# boot_check NAME VARIANT PATCHES-DIR WANT: build VARIANT from PATCHES-DIR,
# boot it and require the self-test's summary line to be WANT.
boot_check() {
	name=$1 v=$2 pd=$3 want=$4
	say "$name: building kernel $v"
	BUILD=$BUILD PATCHES=$pd PIN=$PIN harness/kernel/kbuild.sh "$v" ||
		die "$name: kernel build of $v failed"
	say "$name: booting $v under TCG (a few minutes)"
	st=0
	BUILD=$BUILD harness/vm/boot.sh --run-dir "$work/$name" --mem 1G \
		--timeout 900 --cmd 'cat /proc/cmdline > cmdline; uname -r > release
dmesg > dmesg.txt' "$v" > "$work/$name.log" 2>&1 || st=$?
	r=$work/$name
	if [ "$st" != 0 ]; then
		bad "$name: boot ended with status $st: $(cat "$r/boot-result" 2>/dev/null)"
		return 0
	fi
	rel=$(cat "$r/release")
	[ "$rel" = "$(cat "$BUILD/kernels/$v/release")" ] ||
		bad "$name: guest ran $rel, not the $v kernel"
	grep -qw 'mem=768M' "$r/cmdline" || bad "$name: mem=768M is not on the command line"
	sed 's/^\[[ 0-9.]*\] //' "$r/dmesg.txt" | grep '^test_vmap_pfn: ' > "$r/selftest.txt" || true
	sed 's/^/  guest: /' "$r/selftest.txt"
	got=$(grep -c '^test_vmap_pfn: passed=' "$r/selftest.txt" || true)
	if [ "$got" != 1 ]; then
		bad "$name: the self-test printed $got summary lines, expected 1 (did it run?)"
	elif grep -qx "test_vmap_pfn: $want" "$r/selftest.txt"; then
		ok "$name: self-test on $rel: $want"
	else
		bad "$name: self-test on $rel: $(grep 'passed=' "$r/selftest.txt"), expected $want"
	fi
	if grep -q -e 'WARNING:' -e 'BUG:' "$r/dmesg.txt"; then
		bad "$name: the kernel warned ($r/dmesg.txt)"
	fi
}

boot_check selftest "$variant" "$TOP/kernel-patches" "passed=2 failed=0 skipped=0"

if [ "$mode" = mutant ]; then
	# The same variant from a copy of kernel-patches in which patch 1
	# no longer advances data->idx (line counts unchanged).
	pd=$work/patches
	mkdir -p "$pd"
	cp -r "$TOP/kernel-patches/configs" "$TOP/kernel-patches/vmap-pfn-selftest" "$pd/"
	cp -r "$SERIES_DIR" "$pd/ptep-deref"
	p1=$pd/ptep-deref/$(series_list | head -n 1)
	sed -i 's/^+\tdata->idx++;$/+\tdata->idx += 0;/' "$p1"
	grep -q '^+	data->idx += 0;$' "$p1" || die "mutant: patch 1 has no data->idx++ to break"
	sed 's/^description=.*/description=ptep-deref-vmaptest with patch 1 broken (test only)/' \
		"$TOP/kernel-patches/variants/$variant.variant" > "$pd/variants.tmp"
	mkdir -p "$pd/variants"
	mv "$pd/variants.tmp" "$pd/variants/ptep-vmap-mutant.variant"
	boot_check mutant ptep-vmap-mutant "$pd" "passed=1 failed=1 skipped=0"
fi

result "$suite" "$pass" "$fail" 0
[ "$fail" = 0 ]
