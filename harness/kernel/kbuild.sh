#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build one kernel variant: pinned tarball -> patched worktree -> arm64
# Image in $BUILD/kernels/VARIANT (Image, config, config.sha256, release,
# cmdline; the O= build dir is obj/).  When the pin, the patches, the config
# fragments and the compiler are unchanged this is a no-op touching nothing.
# Every variant of one base builds in the same worktree (lib.sh: worktree_at),
# so a second variant reuses the compiler cache for what its series leaves
# alone.
#
# Usage: kbuild.sh VARIANT   (environment: see lib.sh)
set -eu
variant=${1:?usage: kbuild.sh VARIANT}
# shellcheck source=harness/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
setup_env
variant_lock

variant_load
pin_load
variant_fingerprints
# the series the Image stacks, for the job's context (boot.sh)
mkdir -p "$kdir"
[ "$(cat "$kdir/series" 2>/dev/null)" = "$v_series" ] || printf '%s\n' "$v_series" > "$kdir/series"
if [ -e "$kdir/Image" ] && [ "$(cat "$kdir/build.fp" 2>/dev/null)" = "$build_fp" ]; then
	step "up to date ($kdir/Image, $(cat "$kdir/release"))"
	exit 0
fi
rm -f "$kdir/build.fp"
: > "$klog"
tree_lock "$(base_tree)"
# shellcheck disable=SC2086 # patch paths have no blanks
worktree_at "$(base_tree)" $v_patches

obj=$kdir/obj
frags=""
for c in $v_configs; do
	frags="$frags $PATCHES/configs/$c"
done
# shellcheck disable=SC2086 # $frags is a list of paths without blanks
cat $frags > "$kdir/fragments.config"
step "configuring: allnoconfig + $v_configs"
kmake "$obj" allnoconfig KCONFIG_ALLCONFIG="$kdir/fragments.config"
kmake "$obj" olddefconfig
# shellcheck disable=SC2086
config_check "$obj/.config" $frags

step "building Image with ${JOBS} jobs (log: $klog)"
ccache_zero
t0=$(date +%s)
kmake_progress "$obj" Image
cp "$obj/arch/arm64/boot/Image" "$kdir/Image"
cp "$obj/.config" "$kdir/config"
sha256 < "$kdir/config" > "$kdir/config.sha256"
make -s -C "$tree" O="$obj" ARCH=arm64 LOCALVERSION="$localversion" kernelrelease > "$kdir/release"
printf '%s\n' "$v_cmdline" > "$kdir/cmdline"
git -C "$tree" rev-parse HEAD > "$kdir/commit"
echo "$build_fp" > "$kdir/build.fp"
step "built $kdir/Image in $(($(date +%s) - t0))s ($(cat "$kdir/release"), config sha256 $(cut -c1-12 "$kdir/config.sha256"), $(ccache_rate))"
