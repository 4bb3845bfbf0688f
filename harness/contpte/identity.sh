#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make contpte-identity: the claim of patch 1 of the contpte series ("arm64/mm:
# split the PTE accessors into a private and a public layer") that the split
# changes no generated code before contpte is switched on.  Build the objects
# of arch/arm64/ (every file the patch touches, and the users of the private
# layer) and of mm/ (the heaviest users of the public accessors it redefines)
# for arm64 with the bench config, from the base + the ptep-deref series
# and from the same + contpte patch 1, in the one worktree every variant of the
# base builds in (so the compiler cache serves what other builds already
# made, and no object differs by its source path), and compare them all with
# objcmp, unmasked: a changed line number in a __bug_table counts as a
# difference.  DIRS= (default "arch/arm64/ mm/") widens it, e.g. to the
# whole tree with DIRS=vmlinux.
#
# Usage: identity.sh [SUITE]    (environment: see harness/kernel/lib.sh)
set -eu
suite=${1:-contpte-identity}
variant=contpte-identity
kernel_dir=$(cd "$(dirname "$0")/../kernel" && pwd)
# shellcheck source=harness/kernel/lib.sh
. "$kernel_dir/lib.sh"
setup_env
# shellcheck source=tests/lib/result.sh
. "$kernel_dir/../../tests/lib/result.sh"
step() { echo "contpte-identity: $*"; }
die() { echo "contpte-identity: error: $*" >&2; exit 1; }

objcmp=$BUILD/ptep/objcmp
[ -x "$objcmp" ] || die "$objcmp is not built (make ptep-tools)"
# the release suffix of make series-check, whose objects these share
localversion=-tlbbench-series
work=$BUILD/contpte-identity
mkdir -p "$work"
klog=$work/build.log
: > "$klog"
pin_load
tree_lock "$(base_tree)"
config=$PATCHES/configs/bench.config
dirs=${DIRS:-arch/arm64/ mm/}

# 0: the ptep-deref series alone; 1: with contpte's patch 1, the split
for k in 0 1; do
	# shellcheck disable=SC2046 # patch paths have no blanks
	worktree_at "$(base_tree)" $(series_prefix ptep-deref all) \
		$([ "$k" = 0 ] || series_prefix contpte "$k")
	obj=$work/obj-$k
	if [ ! -e "$obj/.config" ]; then
		kmake "$obj" allnoconfig KCONFIG_ALLCONFIG="$config"
		kmake "$obj" olddefconfig
	fi
	step "building $dirs with contpte patches 1-$k (log: $klog)"
	# shellcheck disable=SC2086 # a list of targets
	kmake "$obj" $dirs
done

t_begin "$suite"
cmp -s "$work/obj-0/.config" "$work/obj-1/.config" || die "the two .config files differ"
(cd "$work/obj-0" && find . -name '*.o' | sed 's|^\./||' | sort
	[ ! -e vmlinux ] || echo vmlinux) > "$work/objects"
if "$objcmp" "$work/obj-0" "$work/obj-1" < "$work/objects" > "$work/objcmp.txt"; then
	t_pass "contpte patch 1 leaves the $(wc -l < "$work/objects") objects of $dirs identical ($(tail -n 1 "$work/objcmp.txt"))"
else
	grep -v '^identical' "$work/objcmp.txt" | head -n 20 >&2
	t_fail "contpte patch 1 leaves every object of $dirs identical" \
		"$(grep -c '^different\|^missing' "$work/objcmp.txt") differ, list in $work/objcmp.txt"
fi
t_end
