#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make contpte-demo [K=contpte]: show that the contpte kernel folds and what
# it buys.  One deterministic TCG boot with the tlbsim TLB model runs
# demo.job: with /sys/kernel/mm/contpte/enabled at 1 and then at 0, the
# debugfs counters around a PTE-mapped THP check in its own process
# (fold-demo.c reads /sys/kernel/debug/contpte/blocks, which lists only the
# reader's mm) and a tlb_reach run on anon-thp-pte.  Prints the L1D and L2
# TLB refills per load off and on and their ratio off/on.
#
# Usage: demo.sh TLBBENCH PLUGIN VARIANT RUN-DIR
set -eu
tlbbench=$1 plugin=$2 variant=$3 run=$4
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)

"$here/../kernel/kbuild.sh" "$variant"
mkdir -p "$BUILD/contpte"
aarch64-linux-gnu-gcc -O2 -static -Wall -Wextra -o "$BUILD/contpte/fold-demo" "$here/fold-demo.c"
job=$BUILD/contpte/demo.job
{
	echo "base64 -d > /tmp/fold-demo <<'FOLD_DEMO'"
	base64 "$BUILD/contpte/fold-demo"
	echo "FOLD_DEMO"
	cat "$here/demo.job"
} > "$job"
BUILD=$BUILD "$here/../vm/boot.sh" --deterministic --plugin "$plugin" --run-dir "$run" \
	--job "$job" "$variant"
for state in 1 0; do
	"$tlbbench" merge "$run/samples-$state.raw.jsonl" "$run/tlbsim.jsonl" \
		--out="$run/samples-$state.jsonl"
	"$tlbbench" validate "$run/samples-$state.jsonl"
done
python3 "$here/demo-ratio.py" "$tlbbench" "$run"
