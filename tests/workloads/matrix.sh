#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every workload on every backing it offers, briefly, with --verify,
# one JSON Lines file per run: OUT/<workload>.<backing>[.<variant>].jsonl.
# Plain POSIX sh, so the same file runs on the host and as a guest job
# under busybox.  check.py then asserts on what the files say; an exit
# status is not judged here (a SKIP or FAIL is in each file's end record).
#
# Usage: matrix.sh TLBBENCH OUT
# The backings each workload offers are those of "tlbbench list"; check.py
# fails when this list and the registry disagree.
set -eu
tlbbench=$1 out=$2
mkdir -p "$out"

# file backings need $TLBBENCH_XFS_IMAGE for xfs; anon-64k needs a knob
backings="anon-4k anon-64k anon-thp anon-thp-pte hugetlb-64k hugetlb-2m tmpfs xfs"

# one: WORKLOAD BACKING TAG [OPTION...]
one() {
	w=$1 b=$2 tag=$3
	shift 3
	f=$out/$w.$b$tag.jsonl
	rm -f "$f"
	echo "matrix: $w --backing=$b $*"
	"$tlbbench" run "$w" --backing="$b" --reps=1 --warmup=1 --verify \
		--events=page-faults --out="$f" "$@" > /dev/null 2>> "$out/stderr.log" || true
}

for b in $backings; do
	# partial ranges, which unfold blocks, where the backing allows them:
	# hugetlb pages cannot be split, and a partial mprotect would turn
	# anon-thp into anon-thp-pte after the first repetition
	case $b in
	hugetlb-*) mp=whole mu=whole ;;
	anon-thp) mp=whole mu=partial ;;
	*) mp=partial mu=partial ;;
	esac
	# anon-thp-pte is a state reached after population: fault does not offer it
	[ "$b" = anon-thp-pte ] || one fault "$b" "" --bytes=2M
	one tlb_reach "$b" "" --bytes=2M --accesses=10000
	one mprotect "$b" "" --bytes=2M --range=$mp --toggles=2
	one fork "$b" "" --bytes=2M --forks=2
	one munmap "$b" "" --bytes=2M --range=$mu
	one madvise "$b" "" --bytes=2M
done
# the other tmpfs huge= modes, and the threaded variants
for h in never within_size advise; do
	one fault tmpfs ".$h" --bytes=2M --tmpfs_huge="$h"
done
one fault anon-4k .threads --bytes=2M --threads=2
one mprotect anon-thp-pte .threads --bytes=2M --threads=2
one tlb_reach anon-4k .threads --bytes=2M --threads=2 --accesses=10000
echo "matrix: done"
