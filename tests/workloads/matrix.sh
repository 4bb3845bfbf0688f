#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every workload on every backing it offers, briefly, with --verify,
# one JSON Lines file per run: OUT/<workload>.<backing>[.<variant>].jsonl.
# Plain POSIX sh, so the same file runs on the host and as a guest job
# under busybox.  check.py then asserts on what the files say; an exit
# status is not judged here (a SKIP or FAIL is in each file's end record).
#
# Usage: matrix.sh TLBBENCH OUT CASES
# CASES is what cases.py made of "tlbbench list --json": one run a line,
# "WORKLOAD BACKING TAG OPTION...", so the registry decides what runs and
# check.py fails when a workload or backing of the registry has no file.
set -eu
tlbbench=$1 out=$2 cases=$3
mkdir -p "$out"

# file backings need $TLBBENCH_XFS_IMAGE for xfs; anon-64k needs a knob
while read -r w b tag opts; do
	[ "$tag" = - ] && tag="" || tag=".$tag"
	f=$out/$w.$b$tag.jsonl
	rm -f "$f"
	echo "matrix: $w --backing=$b $opts"
	# shellcheck disable=SC2086 # opts is a list of options
	"$tlbbench" run "$w" --backing="$b" --reps=1 --warmup=1 --verify --quiet \
		--events=page-faults --out="$f" $opts < /dev/null > /dev/null 2>> "$out/stderr.log" || true
done < "$cases"
echo "matrix: done"
