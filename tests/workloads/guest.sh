#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every workload on every backing in a baseline guest under TCG: matrix.sh
# runs as the guest job, writing through the results share, and check.py
# asserts on the mapping proofs.  The guest gets 64K and 2M hugetlb pages
# on its command line and the XFS image, gzipped, on a second read-only 9p
# share ("xfsimg"), unpacked into the guest's /tmp for the xfs backing.
# Every backing but anon-64k (the baseline kernel has no 64K anonymous
# folios) must pass.
# Usage: guest.sh TLBBENCH XFS-IMAGE
set -eu
tlbbench=$1 image=$2
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
export BUILD
tmp=$BUILD/test-workloads/guest
rm -rf "$tmp"
mkdir -p "$tmp/share" "$BUILD/test-results"

$MAKE --no-print-directory -s kernel K=baseline
gzip -c "$image" > "$tmp/share/xfs.img.gz"
# the runs, from the registry of the host runner (the same sources)
"$tlbbench" list --json > "$tmp/list.json"
tests/workloads/cases.py "$tmp/list.json" > "$tmp/cases"
{
	echo "mkdir -p /xfsimg"
	echo "mount -t 9p -o trans=virtio,version=9p2000.L,ro xfsimg /xfsimg"
	echo "gunzip -c /xfsimg/xfs.img.gz > /tmp/xfs.img"
	echo "export TLBBENCH_XFS_IMAGE=/tmp/xfs.img"
	echo "cat > /tmp/cases << 'EOF_CASES'"
	cat "$tmp/cases"
	echo "EOF_CASES"
	echo "set -- /bin/tlbbench /results/out /tmp/cases"
	cat tests/workloads/matrix.sh
} > "$tmp/job.sh"

echo "workloads-guest: booting baseline under TCG, every workload x backing"
rc=0
QEMU_EXTRA="-fsdev local,id=xfsimg,path=$tmp/share,security_model=none,readonly=on -device virtio-9p-pci,fsdev=xfsimg,mount_tag=xfsimg" \
	harness/vm/boot.sh --run-dir "$tmp/run" --timeout 900 --hugepages 64K:64,2M:8 \
	--job "$tmp/job.sh" baseline > "$tmp/boot.log" 2>&1 || rc=$?
if [ "$rc" != 0 ] || [ ! -d "$tmp/run/out" ]; then
	tail -n 30 "$tmp/boot.log"
	echo "0 1 0" > "$BUILD/test-results/workloads-guest"
	echo "workloads-guest: boot failed with status $rc (log: $tmp/boot.log)"
	exit 1
fi
tests/workloads/check.py "$tmp/list.json" "$tmp/run/out" "$BUILD/test-results/workloads-guest" \
	--require=anon-4k,anon-thp,anon-thp-pte,hugetlb-64k,hugetlb-2m,tmpfs,xfs
