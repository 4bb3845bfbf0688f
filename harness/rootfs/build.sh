#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the guests' root filesystem: Debian bookworm for arm64 with gcc,
# make and perf, plus the pinned kernel source under /usr/src/linux, as an
# ext4 image for boot.sh --disk.  Nothing runs under emulation here:
# mmdebstrap --variant=extract only unpacks the packages, and this script
# does the few things their maintainer scripts would have done that a
# kernel build needs (the awk and cc alternatives, passwd and group).  The
# mirror is the machine's own: its apt sources for bookworm are handed to
# mmdebstrap, so no host name is written anywhere in the repository.
#
# Every file gets one fixed mtime (before the deterministic guest clock's
# 2020-01-01 base, so what the guest builds is newer than its sources), and
# the file system a fixed UUID, hash seed and creation time: the same
# inputs give the same image.  The image is rebuilt only when the package
# list, this script or the kernel pin change.
#
# Usage: build.sh PACKAGES-FILE OUT.ext4   (environment: BUILD, PIN)
set -eu
pkgs_file=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PIN=${PIN:-$here/../../kernel-patches/base.pin}

stage_name=""
step() { stage_name=$1; shift; echo "rootfs: $stage_name: $*"; }
die() { echo "rootfs: error in $stage_name: $*" >&2; exit 1; }

# 2019-01-01T00:00:00Z: every file's mtime, and the file system's clock
fixed_time=1546300800
# arbitrary but fixed, so directory hashing is the same in every image
fs_uuid=7f1b6c2e-3d4a-4b8e-9c1d-2e5f6a7b8c9d

stage_name=inputs
[ -r "$pkgs_file" ] || die "no package list $pkgs_file"
[ -r "$PIN" ] || die "no kernel pin $PIN"
pkgs=$(sed 's/#.*//' "$pkgs_file" | tr -s ' \t\n' '\n' | grep . | sort -u | paste -sd, -)
[ -n "$pkgs" ] || die "$pkgs_file lists no package"
tar_sha=$(sed -n 's/^sha256=//p' "$PIN")
[ -n "$tar_sha" ] || die "$PIN has no sha256= line"
fp=$( (echo "$pkgs"; cat "$0"; echo "$tar_sha") | sha256sum | cut -d' ' -f1)
if [ -e "$out" ] && [ "$(cat "$out.fp" 2>/dev/null)" = "$fp" ]; then
	echo "rootfs: up to date ($out)"
	exit 0
fi

stage_name=sources
set --
for f in /etc/apt/sources.list.d/*.sources; do
	[ -e "$f" ] || continue
	# deb822: a stanza whose Suites name bookworm or one of its pockets
	if awk '/^Suites:/ { for (i = 2; i <= NF; i++) if ($i ~ /^bookworm(-|$)/) found = 1 }
	     END { exit !found }' "$f"; then
		set -- "$@" "$f"
	fi
done
if [ $# = 0 ] && [ -r /etc/apt/sources.list ]; then
	# one-line format: hand mmdebstrap the bookworm lines only
	lines=$(grep -E '^deb[[:space:]].*[[:space:]]bookworm([-[:space:]]|$)' /etc/apt/sources.list) || true
	[ -z "$lines" ] || set -- "$lines"
fi
[ $# -gt 0 ] || die "no apt source for bookworm in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
echo "rootfs: sources: $(printf '%s\n' "$@" | sed 's|^deb[[:space:]].*|(a sources.list line)|' | paste -sd' ' -)"

work=$(dirname "$out")
mkdir -p "$work"
work=$(cd "$work" && pwd)
root=$work/stage
log=$work/build.log
rm -rf "$root" "$out.fp"
: > "$log"
trap 'rm -rf "$root"' EXIT
trap 'exit 130' INT TERM

step extract "mmdebstrap --variant=extract, arm64 (log: $log)"
if ! mmdebstrap --variant=extract --architectures=arm64 --include="$pkgs" \
	bookworm "$root" "$@" >> "$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/  /' >&2
	die "mmdebstrap failed (full log: $log)"
fi

step configure "what the skipped maintainer scripts would have set up"
for f in passwd group; do
	# base-passwd's postinst installs its master files
	cp "$root/usr/share/base-passwd/$f.master" "$root/etc/$f" ||
		die "base-passwd's $f.master is missing"
done
# update-alternatives links of the extracted packages
alt() {
	[ -e "$root$2" ] || die "alternative $1 -> $2: $2 is not in the image"
	ln -sf "$2" "$root$1"
}
alt /usr/bin/awk /usr/bin/mawk
alt /usr/bin/cc /usr/bin/gcc
alt /usr/bin/yacc /usr/bin/bison.yacc
mkdir -p "$root/results" "$root/usr/src"
echo tlbbench-guest > "$root/etc/hostname"

step source "the pinned kernel source into /usr/src/linux"
# fetched and checked against the pin by the kernel pipeline
tarball=$(BUILD=$BUILD "$here/../kernel/base.sh" "$PIN") || die "no pinned kernel tarball"
mkdir -p "$root/usr/src/linux"
tar -xJf "$tarball" -C "$root/usr/src/linux" --strip-components=1 ||
	die "cannot extract $tarball"

step image "ext4 image $out"
find "$root" -exec touch -h -d "@$fixed_time" {} + || die "cannot set the fixed mtimes"
used_mb=$(du -sm "$root" | cut -f1)
# room for a defconfig build in the guest (the disk is a snapshot: the
# image file itself is never written, and unused space stays sparse)
size_mb=$((used_mb + 6144))
rm -f "$out.tmp"
if ! E2FSPROGS_FAKE_TIME=$fixed_time mkfs.ext4 -q -F -L tlbbench-root -U "$fs_uuid" \
	-E "hash_seed=$fs_uuid,root_owner=0:0" -d "$root" "$out.tmp" "${size_mb}M" >> "$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/  /' >&2
	die "mkfs.ext4 failed (full log: $log)"
fi
mv "$out.tmp" "$out"
echo "$fp" > "$out.fp"
echo "rootfs: built $out (${used_mb}M used of ${size_mb}M)"
