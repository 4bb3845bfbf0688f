#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make ptep-identity-full: the series claims that patches 3-6 (the
# highmem unmap fix, ptep_deref(), the conversion, the
# ptep_get_lockless() guard) change no generated code.  Build vmlinux
# for arm64 (GCC) from the base with patches 1-$PTEP_SAME_FROM and with
# patches 1-$PTEP_SAME_TO (lib.sh), with the same configuration
# (allnoconfig + the given fragments), and compare every object of the
# build and vmlinux itself with objcmp.  Nothing is masked: no patch of
# the run moves a line that a BUG() or WARN() records (__bug_table's line
# field): the conversion replaces expressions in place, and the only
# BUG()s in <linux/pgtable.h> inlines below the lines patches 4 and 6 add
# are the pmd_write()/pud_write() fallbacks, which arm64 does not build
# (it defines both).  If a line ever moved, objcmp would report the
# object as different here, and "objcmp -m" (which masks only that
# 16-bit field) is the way to tell such a move from a code change.
# Slow: two full builds per configuration.
#
# Usage: identity-full.sh SUITE FRAGMENT...
set -eu
suite=${1:?usage: identity-full.sh SUITE FRAGMENT...}
shift
. harness/ptep/lib.sh

objcmp=$TOP/$BUILD/ptep/objcmp
[ -x "$objcmp" ] || die "$objcmp is not built"
work=$TOP/$BUILD/ptep-work/t/$suite
mkdir -p "$work"
cat "$@" > "$work/fragment.config"
a=$PTEP_SAME_FROM b=$PTEP_SAME_TO

# Both sides are built from one worktree, rebuilt in place between them:
# object files record the path of their source where kbuild cannot make
# it relative (KASAN's descriptors of global variables name the source
# file; host programs' assert()s carry __FILE__), so two trees in two
# folders would differ in every such object for no reason in the code.
for side in "$a" "$b"; do
	tree_at "$suite" "$side"
	# shellcheck disable=SC2086 # $ARM64_GCC is a list of arguments
	kconfig "$tree" "$work/obj-$side" "$work/fragment.config" $ARM64_GCC
	say "building vmlinux with patches 1-$side ($work/build-$side.log)"
	# shellcheck disable=SC2086
	kmake "$tree" "$work/obj-$side" $ARM64_GCC vmlinux > "$work/build-$side.log" 2>&1 ||
		die "build with patches 1-$side failed, see $work/build-$side.log"
done
cmp -s "$work/obj-$a/.config" "$work/obj-$b/.config" || die "the two .config files differ"

(cd "$work/obj-$a" && find . -name '*.o' | sed 's|^\./||' | sort; echo vmlinux) > "$work/objects"
say "comparing patches 1-$a with 1-$b, every object and vmlinux, nothing masked"
if "$objcmp" "$work/obj-$a" "$work/obj-$b" < "$work/objects" > "$work/objcmp.txt"; then
	result "$suite" 1 0 0
	say "$(tail -n 1 "$work/objcmp.txt")"
else
	grep -v '^identical' "$work/objcmp.txt" >&2
	result "$suite" 0 1 0
	exit 1
fi
