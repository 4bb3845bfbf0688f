#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Cross-build the Debian packages (bindeb-pkg) of one kernel variant, for
# installing on arm64 hardware.  Without CONFIG the package holds the same
# kernel as "make kernel" (bench configuration, same O= dir); with CONFIG
# (e.g. the machine's /boot/config-*) it starts from that file, adds the
# variant's fragments and hardware.config, and builds in pkg-obj/.  The
# release is <version>-tlbbench-VARIANT; the .deb files land in
# $BUILD/kernels/VARIANT/.
#
# Usage: kpkg.sh VARIANT [CONFIG]   (environment: see lib.sh)
set -eu
variant=${1:?usage: kpkg.sh VARIANT [CONFIG]}
config=${2:-}
# shellcheck source=harness/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
setup_env

[ -n "$config" ] || "$kernel_dir/kbuild.sh" "$variant"
variant_lock
variant_load
pin_load
variant_fingerprints
mkdir -p "$kdir"
klog=$kdir/pkg.log
: > "$klog"
[ -z "$config" ] || [ -r "$config" ] || die "no config file $config"
tree_lock "$(base_tree)"
# shellcheck disable=SC2086 # patch paths have no blanks
worktree_at "$(base_tree)" $v_patches
if [ -z "$config" ]; then
	obj=$kdir/obj
else
	obj=$kdir/pkg-obj
	frags=""
	for c in $v_configs; do
		frags="$frags $PATCHES/configs/$c"
	done
	step "configuring: $config + hardware.config $v_configs"
	mkdir -p "$obj"
	# Kconfig keeps the last of repeated assignments: fragments win.
	# shellcheck disable=SC2086 # $frags is a list of paths without blanks
	cat "$config" "$PATCHES/configs/hardware.config" $frags > "$obj/.config"
	kmake "$obj" olddefconfig
	# hardware.config is not checked: its options vanish exactly when
	# they do not matter (no keyring, no DEBUG_KERNEL).
	# shellcheck disable=SC2086
	config_check "$obj/.config" $frags
fi

rm -f "$kdir"/*.deb "$kdir"/*.buildinfo "$kdir"/*.changes
step "building the packages with bindeb-pkg (log: $klog)"
kmake "$obj" bindeb-pkg KBUILD_DEBARCH=arm64 DPKG_FLAGS=-d
for deb in "$kdir"/*.deb; do
	[ -e "$deb" ] || die "bindeb-pkg made no .deb in $kdir"
	step "built $deb"
done
