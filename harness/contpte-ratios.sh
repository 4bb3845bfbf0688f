#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make contpte-ratios: the contpte series' benchmark targets as ratios,
# each from one deterministic run per side under the TLB model, on
# plans/contpte.plan:
#  1. one contpte kernel, its runtime switch off and on, in one boot
#     (sweep of contpte/enabled): TLB reach (refills off/on), the cost of
#     every path on/off, and contiguous against order-0 memory;
#  2. contpte (switch on, its default) against baseline: the order-0 cost
#     of the series itself;
#  3. the same plan's upstream reference (make upstream-ratios) when its
#     results are given (UPSTREAM=results/<run>-upstream), so the 6.1
#     series' reach ratio stands next to upstream's.
# Every stage keeps its results under RUN-DIR; a failed stage names itself.
#
# Usage: contpte-ratios.sh TLBBENCH PLUGIN PLAN RUN-DIR [VARIANT]
set -eu
tlbbench=$1 plugin=$2 plan=$3 run=$4 variant=${5:-contpte}
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}
ratios=$here/report/ratios.py
mkdir -p "$run"
# the whole plan, twice in the switch stage, in one TCG boot: more than
# boot.sh's default 600 s on a loaded 2-core machine
export BOOT_TIMEOUT="${BOOT_TIMEOUT:-3600}"

"$here/kernel/variants.sh" --against "$variant" > /dev/null ||
	{ echo "contpte-ratios: stage variant: no variant $variant" >&2; exit 2; }
for v in baseline "$variant"; do
	"$here/kernel/kbuild.sh" "$v" || { echo "contpte-ratios: stage build of $v failed" >&2; exit 1; }
done
echo "contpte-ratios: 1/3: $variant with contpte/enabled 0 then 1, one boot"
"$here/sweep.sh" "$tlbbench" "$plugin" "$plan" "$run/switch" "$variant" contpte/enabled 0 1 \
	> "$run/switch.log" 2>&1 || { tail -n 20 "$run/switch.log"; echo "contpte-ratios: stage switch failed (see $run/switch.log)" >&2; exit 1; }

echo "contpte-ratios: 2/3: $variant against baseline"
rc=0
"$here/bench.sh" "$tlbbench" "$plugin" "$plan" "$run/against-baseline" baseline "$variant" \
	> "$run/against-baseline.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || { tail -n 20 "$run/against-baseline.log"; echo "contpte-ratios: stage against-baseline failed (see $run/against-baseline.log)" >&2; exit 1; }

echo "contpte-ratios: 3/3: the ratios"
{
	"$python" "$ratios" --title "$variant, its switch" "$run/switch/report.json"
	echo
	"$python" "$ratios" --title "$variant against baseline" "$run/against-baseline/report.json"
	up=${UPSTREAM:-}
	if [ -n "$up" ] && [ -s "$up/against-upstream-6.12/report.json" ]; then
		echo
		"$python" "$ratios" --title "upstream 6.12 reference" "$up/against-upstream-6.12/report.json"
	else
		echo
		echo "ratios: upstream 6.12 reference not given (make upstream-ratios, then UPSTREAM=results/<run>-upstream)"
	fi
} | tee "$run/ratios.txt"
echo "contpte-ratios: $run/ratios.txt"
