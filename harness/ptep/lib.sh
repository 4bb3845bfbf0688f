# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The ptep_deref() series' own proofs (harness/ptep/*.sh) on the shared
# kernel pipeline, harness/kernel/lib.sh: its locked extraction of the
# pinned base, its worktrees (worktree_at), its kernel make (kmake_in:
# serialised on $BUILD/.kbuild.lock, through ccache, fixed build stamps)
# and the shared test-result helper (tests/lib/result.sh).  What is left
# here is particular to this series: the names its scripts use, and the
# objects the series touches.

: "${BUILD:=build}"
TOP=$(pwd)
SERIES=ptep-deref
SERIES_DIR=$TOP/kernel-patches/$SERIES
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR="${CCACHE_DIR:-$TOP/$BUILD/ccache}"

variant=ptep
# shellcheck source=harness/kernel/lib.sh
. "$TOP/harness/kernel/lib.sh"
# shellcheck source=tests/lib/result.sh
. "$TOP/tests/lib/result.sh"
kernel_dir=$TOP/harness/kernel
PATCHES=$TOP/kernel-patches
PIN=$PATCHES/base.pin
pin_env=""
BUILD_ABS=$TOP/$BUILD

# The patches of the series (by number) that change generated code on
# purpose: 1 vmalloc set_pte_at(), 2 hugetlb reads to huge_ptep_get(),
# 7 lockless readers to ptep_get_lockless(), 8 repeated reads hoisted.
# Every other patch must leave every object as it was (series-check.sh).
PTEP_CODE_PATCHES="1 2 7 8"
# The longest run of object-identical patches, as the two prefixes whose
# whole builds must be identical (identity-full.sh; the exact A/A pair
# aa-prefix / aa-series names the same two prefixes).
PTEP_SAME_FROM=2
PTEP_SAME_TO=6

die() { echo "ptep: error: $*" >&2; exit 1; }
say() { echo "ptep: $*"; }
step() { say "$*"; }

pin_get() { sed -n "s/^$1=//p" "$PIN"; }

# The series' patch file names, in order.
# (read whole first: a "| head" after it must not look like a bad file)
series_list() {
	_sl=$(series_patches "$SERIES") || exit 1
	printf '%s\n' "$_sl"
}

# with_build CMD...: run a pipeline function with BUILD absolute (the
# scripts here use it relative to $TOP).
with_build() {
	_rel=$BUILD
	BUILD=$BUILD_ABS
	"$@"
	BUILD=$_rel
}

# tree_at NAME N: $tree, the worktree $BUILD/trees/ptep-NAME with the first
# N patches of the series applied by git am (N=0: the base).  A check may
# apply more patches on top; the next tree_at goes back.
tree_at() {
	pin_load
	# shellcheck disable=SC2046 # patch paths have no blanks
	with_build worktree_at "ptep-$1" $(series_prefix "$SERIES" "$2")
}

# kmake SRC OBJ ARGS...: the kernel's make, quiet, one build at a time.
kmake() {
	src=$1 obj=$2
	shift 2
	with_build kmake_in "$src" "$obj" -s "$@"
}

# kconfig SRC OBJ FRAGMENT MAKEARGS...: allnoconfig + fragment, checked.
kconfig() {
	src=$1 obj=$2 frag=$3
	shift 3
	kmake "$src" "$obj" "$@" allnoconfig KCONFIG_ALLCONFIG="$frag" > /dev/null
	kmake "$src" "$obj" "$@" olddefconfig > /dev/null
	missing=$(grep '^CONFIG_.*=y$' "$frag" | while read -r l; do
		grep -qx "$l" "$obj/.config" || echo "${l%=y}"; done)
	[ -z "$missing" ] || die "$frag: not set after olddefconfig: $missing"
}

ARM64_GCC="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"

# result SUITE PASSED FAILED SKIPPED: the counts, through the shared helper
result() {
	t_begin "$1"
	t_pass=$2 t_fail=$3 t_skip=$4
	t_end > /dev/null || true
	say "$1: $2 passed, $3 failed, $4 skipped"
}

# touched_objects TREE: the objects of the .c files the series changes
# in TREE (base..HEAD); kvm_main.c is compiled from the arch directory and
# the i915 selftest is #included into the file of the same name above it.
touched_objects() {
	git -C "$1" diff --name-only base HEAD -- '*.c' | sed -e 's/\.c$/.o/' \
		-e 's|^virt/kvm/kvm_main.o$|arch/arm64/kvm/../../../virt/kvm/kvm_main.o|' \
		-e 's|^\(drivers/gpu/drm/i915/.*\)/selftests/\([^/]*\.o\)$|\1/\2|'
}

# config_objects SERIES-TREE SRC OBJ MAKEARGS...: build, in SRC/OBJ, the
# touched objects of SERIES-TREE and print those that the configuration
# in OBJ builds (kbuild ignores a single target it has no rule for).
# The others are listed in OBJ/.ptep-skipped.
config_objects() {
	st=$1 src=$2 obj=$3
	shift 3
	objs=$(touched_objects "$st")
	for o in $objs; do rm -f "$obj/$o"; done
	# --output-sync: with -j, two compilers' warnings and notes would
	# interleave in the log, and a note read as another warning's changes
	# what the noderef filter decides
	# shellcheck disable=SC2086 # lists of paths without blanks
	kmake "$src" "$obj" "$@" --output-sync=target -k $objs > "$obj/.ptep-probe.log" 2>&1 || true
	: > "$obj/.ptep-skipped"
	for o in $objs; do
		if [ -e "$obj/$o" ]; then
			echo "$o"
		else
			echo "$o" >> "$obj/.ptep-skipped"
		fi
	done
}
