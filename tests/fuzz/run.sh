#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the plan parser for a bounded time.  The corpus starts from the
# shipped plans and the bad plans of tests/unit/test_plan.c (every
# expect_error() text, extracted as it is written there) and is kept
# under build/fuzz/corpus between runs; crashes land in build/fuzz/.
# Usage: run.sh FUZZER SECONDS
set -eu
fuzzer=$1 secs=$2
BUILD=${BUILD:-build}
dir=$BUILD/fuzz
corpus=$dir/corpus
mkdir -p "$corpus" "$dir/seeds"
cp plans/*.plan "$dir/seeds/"
# the C string literals of the unit test's bad plans, one seed each
python3 - "$dir/seeds" tests/unit/test_plan.c <<'PY'
import ast, re, sys
out, src = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
for i, m in enumerate(re.finditer(r'expect_(?:error|runs)\(((?:\s*"(?:[^"\\]|\\.)*")+)', src)):
    text = "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1)))
    with open(f"{out}/unit-{i}.plan", "w", encoding="utf-8") as f:
        f.write(text)
PY
echo "fuzz-plan: $(ls "$dir/seeds" | wc -l) seeds, ${secs}s"
# -rss_limit_mb: the parser's own tables are small; a blow-up is a finding
"$fuzzer" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=1024 \
	-artifact_prefix="$dir/" -print_final_stats=1 "$corpus" "$dir/seeds" 2> "$dir/fuzz.log" || {
	tail -n 40 "$dir/fuzz.log"
	echo "fuzz-plan: the fuzzer found a failure (input saved in $dir/)"
	exit 1
}
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$dir/fuzz.log" || true
echo "fuzz-plan: no failure in ${secs}s"
