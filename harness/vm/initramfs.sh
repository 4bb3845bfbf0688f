#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest initramfs (newc cpio): Debian's static arm64 busybox, the
# statically linked runner when it has been built, and harness/vm/init.
# gen_init_cpio (built with every kernel) writes /dev/console and fixed
# owners and modes without root.
#
# Usage: initramfs.sh GEN_INIT_CPIO RUNNER OUT.cpio  (RUNNER may be absent)
set -eu
gen=$1 runner=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)

busybox=$(dpkg-query -L busybox-static:arm64 2>/dev/null | grep -m 1 '/bin/busybox$') ||
	{ echo "initramfs: busybox-static:arm64 is not installed (run: make deps)" >&2; exit 1; }

# private temporaries: boots running at once share $out
list=$out.$$.list
{
	echo "dir /bin 0755 0 0"
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $here/init 0755 0 0"
	echo "file /bin/busybox $busybox 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	[ ! -e "$runner" ] || echo "file /bin/tlbbench $(cd "$(dirname "$runner")" && pwd)/$(basename "$runner") 0755 0 0"
} > "$list"
# -t: directories and nodes get a fixed mtime rather than the time of the
# boot, so the same files make the same archive (deterministic boots).
"$gen" -t 1577836800 "$list" > "$out.$$.tmp"
rm -f "$list"
mv "$out.$$.tmp" "$out"
