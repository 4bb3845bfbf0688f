#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run a plan on the running kernel and check what it wrote.
# Usage: bench-native.sh TLBBENCH PLAN RESULTS-DIR
set -eu

tlbbench=$1 plan=$2 dir=$3
mkdir -p "$dir"
echo "bench: native run of $plan into $dir"
status=0
TLBBENCH_TARGET=native TLBBENCH_RUN_ID=$(basename "$dir") \
	"$tlbbench" plan "$plan" --out="$dir/samples.jsonl" || status=$?
# whatever happened, what was measured is kept and must be well formed
"$tlbbench" validate "$dir/samples.jsonl"
echo "bench: results in $dir/samples.jsonl"
exit "$status"
