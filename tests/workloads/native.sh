#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every workload on every backing on the running kernel (matrix.sh), the
# mapping proofs checked by check.py.  Reserves 2M (and 64K, where the
# kernel has them) hugetlb pages for the run and restores the counts;
# gives the xfs backing a private copy of the XFS image.  As root, the
# anon-4k and tmpfs backings must pass; without root everything may SKIP
# (the proof reads PFNs; mounts need CAP_SYS_ADMIN).
# Usage: native.sh TLBBENCH XFS-IMAGE
set -eu
tlbbench=$1 image=$2
BUILD=${BUILD:-build}
tmp=$BUILD/test-workloads/native
rm -rf "$tmp"
mkdir -p "$tmp" "$BUILD/test-results"

restore=""
reserve() {
	f=/sys/kernel/mm/hugepages/hugepages-$1/nr_hugepages
	[ -w "$f" ] || return 0
	old=$(cat "$f")
	restore="$restore echo $old > $f;"
	echo $((old + $2)) > "$f" 2> /dev/null || true
}
trap 'eval "$restore"' EXIT
reserve 2048kB 8
reserve 64kB 64

if [ -r "$image" ]; then
	cp --sparse=always "$image" "$tmp/xfs.img"
	export TLBBENCH_XFS_IMAGE="$tmp/xfs.img"
fi
require=""
[ "$(id -u)" != 0 ] || require=--require=anon-4k,tmpfs
"$tlbbench" list --json > "$tmp/list.json"
tests/workloads/cases.py "$tmp/list.json" > "$tmp/cases"
tests/workloads/matrix.sh "$tlbbench" "$tmp/out" "$tmp/cases" > "$tmp/matrix.log"
tests/workloads/check.py "$tmp/list.json" "$tmp/out" "$BUILD/test-results/workloads" $require
