#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make ptep-identity-full: the series claims that only its first patch
# (vmalloc) changes generated code.  Build vmlinux for arm64 (GCC) from
# the base with patch 1 and from the base with the whole series, with the
# same configuration (allnoconfig + the given fragments), and compare
# every object of the build and vmlinux itself with objcmp (no masking).
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
n=$(series_list | wc -l)

# Both sides are built from one worktree, rebuilt in place between them:
# object files record the path of their source where kbuild cannot make
# it relative (KASAN's descriptors of global variables name the source
# file; host programs' assert()s carry __FILE__), so two trees in two
# folders would differ in every such object for no reason in the code.
for side in 1 "$n"; do
	tree_at "$suite" "$side"
	# shellcheck disable=SC2086 # $ARM64_GCC is a list of arguments
	kconfig "$tree" "$work/obj-$side" "$work/fragment.config" $ARM64_GCC
	say "building vmlinux with patches 1-$side ($work/build-$side.log)"
	# shellcheck disable=SC2086
	kmake "$tree" "$work/obj-$side" $ARM64_GCC vmlinux > "$work/build-$side.log" 2>&1 ||
		die "build with patches 1-$side failed, see $work/build-$side.log"
done
cmp -s "$work/obj-1/.config" "$work/obj-$n/.config" || die "the two .config files differ"

(cd "$work/obj-1" && find . -name '*.o' | sed 's|^\./||' | sort; echo vmlinux) > "$work/objects"
if "$objcmp" "$work/obj-1" "$work/obj-$n" < "$work/objects" > "$work/objcmp.txt"; then
	result "$suite" 1 0 0
	say "$(tail -n 1 "$work/objcmp.txt")"
else
	grep -v '^identical' "$work/objcmp.txt" >&2
	result "$suite" 0 1 0
	exit 1
fi
