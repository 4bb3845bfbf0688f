#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The start of a guest job for PLAN...: when one of them has the xfs
# backing, the empty XFS image (make xfs-image; 100K compressed) travels
# inside the job and is unpacked in the guest before the plan starts, so
# that the deterministic setup (no 9p reads during the plan) can measure
# file-backed folding too.  Prints nothing when no plan needs it.
#
# Usage: xfs-job.sh PLAN... > job.sh   (XFS_IMAGE: default $BUILD/xfs/xfs.img)
set -eu
xfs=${XFS_IMAGE:-${BUILD:-build}/xfs/xfs.img}
grep -Eqs '^backing=.*\bxfs\b' "$@" || exit 0
if [ ! -s "$xfs" ]; then
	echo "xfs-job: the plan has the xfs backing but there is no $xfs (make xfs-image): its runs skip" >&2
	exit 0
fi
echo "base64 -d > /tmp/xfs.img.gz <<'TLBBENCH_XFS'"
gzip -9c "$xfs" | base64
echo "TLBBENCH_XFS"
echo "gunzip /tmp/xfs.img.gz && export TLBBENCH_XFS_IMAGE=/tmp/xfs.img"
