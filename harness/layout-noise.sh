#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make layout-noise: how far exact counts move from code layout alone.
# Runs the plan on baseline and on layout-pad (the same code moved by 2052
# bytes) under the deterministic TLB model and keeps their comparison as
# $BUILD/layout-noise/report.json.  make bench passes that file to every
# report (compare --noise), whose footer then states the spread next to
# the effect floor meant to absorb it.
#
# Usage: layout-noise.sh TLBBENCH PLUGIN PLAN
set -eu
tlbbench=$1 plugin=$2 plan=$3
here=$(cd "$(dirname "$0")" && pwd)
out=${BUILD:-build}/layout-noise
run=$out/run

for v in baseline layout-pad; do
	"$here/kernel/kbuild.sh" "$v" || { echo "layout-noise: stage build of $v failed" >&2; exit 1; }
done
rm -rf "$run"
"$here/bench-tcg.sh" "$tlbbench" "$plugin" "$plan" "$run" baseline layout-pad ||
	{ echo "layout-noise: stage run failed (see $run/*/console.log)" >&2; exit 1; }
rc=0
"$tlbbench" compare --format=json "$run/baseline" "$run/layout-pad" > "$out/report.json.new" || rc=$?
case $rc in 0 | 1) ;; *) echo "layout-noise: stage compare failed (exit $rc)" >&2; exit 1 ;; esac
mv "$out/report.json.new" "$out/report.json"
# the sentence every report's footer will carry
"$tlbbench" compare --noise="$out/report.json" "$run/baseline" "$run/layout-pad" |
	sed -n '/^Layout noise/,/^$/p' | sed 's/^/layout-noise: /'
echo "layout-noise: kept in $out/report.json (make bench reads it)"
