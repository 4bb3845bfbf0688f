# SPDX-License-Identifier: GPL-2.0
#
# Shared steps of the ptep_deref() series checks, sourced by the scripts
# in harness/ptep/: check the pin, keep a git repository of the pinned
# base under $PTEP (extracted once), make worktrees with a prefix of the
# series applied by git am, configure and build with the kernel's make
# (serialised on $BUILD/.kbuild.lock, through ccache), and record a
# suite's counts in $BUILD/test-results/<suite>.

: "${BUILD:=build}"
TOP=$(pwd)
PTEP=$TOP/$BUILD/ptep-work/t
SERIES_DIR=$TOP/kernel-patches/ptep-deref
PIN=$TOP/kernel-patches/base.pin
LOCK=$TOP/$BUILD/.kbuild.lock
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR="${CCACHE_DIR:-$TOP/$BUILD/ccache}"

die() { echo "ptep: error: $*" >&2; exit 1; }
say() { echo "ptep: $*"; }

pin_get() { sed -n "s/^$1=//p" "$PIN"; }

# The pinned tarball with the pinned hash, fetched by the kernel pipeline
# (harness/kernel/base.sh), or nothing.
pin_check() {
	tarball=$(BUILD=$BUILD "$TOP/harness/kernel/base.sh" "$PIN") || die "no pinned base tarball"
	sha=$(pin_get sha256)
}

# The series' patch file names, in order.
series_list() {
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$SERIES_DIR/series"
}

gitq() { git -c user.name=tlbbench -c user.email=tlbbench@invalid "$@"; }

# base_repo: $PTEP/base, a one-commit repository of the pinned tarball.
base_repo() {
	base=$PTEP/base
	[ -e "$base/.git/ptep-base" ] && return 0
	pin_check
	say "extracting $tarball into $base (once)"
	rm -rf "$base" "$base.tmp"
	mkdir -p "$base.tmp"
	tar -xJf "$tarball" -C "$base.tmp" --strip-components=1
	git -C "$base.tmp" init -q
	git -C "$base.tmp" config gc.auto 0
	git -C "$base.tmp" add -A -f
	GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z \
		gitq -C "$base.tmp" commit -q -m "base: $(pin_get package) $(pin_get version)"
	git -C "$base.tmp" tag base
	echo "$sha" > "$base.tmp/.git/ptep-base"
	mv "$base.tmp" "$base"
}

# tree_at NAME N: worktree $PTEP/src/NAME with the first N patches of the
# series applied by git am (N=0: the base); reused when already there.
tree_at() {
	base_repo
	tree=$PTEP/src/$1
	want=$(series_list | head -n "$2" | while read -r p; do
		sha256sum < "$SERIES_DIR/$p"; done | sha256sum | cut -d' ' -f1)
	if [ "$(head -n 1 "$tree/.ptep-stamp" 2>/dev/null)" = "$want" ]; then
		# a check may have applied more patches on top: go back
		head=$(sed -n 2p "$tree/.ptep-stamp")
		if [ "$(git -C "$tree" rev-parse HEAD)" != "$head" ]; then
			git -C "$tree" am --abort > /dev/null 2>&1 || true
			git -C "$tree" reset -q --hard "$head"
		fi
		return 0
	fi
	rm -rf "$tree"
	git -C "$base" worktree prune
	git -C "$base" worktree add -q --detach "$tree" base
	for p in $(series_list | head -n "$2"); do
		gitq -C "$tree" am -q "$SERIES_DIR/$p" ||
			die "$p does not apply with git am"
	done
	printf '%s\n%s\n' "$want" "$(git -C "$tree" rev-parse HEAD)" > "$tree/.ptep-stamp"
}

# kmake SRC OBJ ARGS...: the kernel's make, one build at a time.
kmake() {
	src=$1 obj=$2
	shift 2
	mkdir -p "$obj"
	flock "$LOCK" make -s -C "$src" O="$obj" -j"$JOBS" \
		KBUILD_BUILD_TIMESTAMP=0 KBUILD_BUILD_USER=tlbbench \
		KBUILD_BUILD_HOST=tlbbench "$@"
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

# result SUITE PASSED FAILED SKIPPED
result() {
	mkdir -p "$TOP/$BUILD/test-results"
	echo "$2 $3 $4" > "$TOP/$BUILD/test-results/$1"
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
	# shellcheck disable=SC2086 # lists of paths without blanks
	kmake "$src" "$obj" "$@" -k $objs > "$obj/.ptep-probe.log" 2>&1 || true
	: > "$obj/.ptep-skipped"
	for o in $objs; do
		if [ -e "$obj/$o" ]; then
			echo "$o"
		else
			echo "$o" >> "$obj/.ptep-skipped"
		fi
	done
}
