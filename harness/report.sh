#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make report: compare results against a base once, into OUT/report.json,
# draw the figures and profiles from that file, then render the other
# forms from it with the figures in:
#   OUT/report.{json,txt,md,html}, OUT/figures/
# and print the text report's path and the verdict, as report.json has
# them.  The exit status is compare's: 0 no significant regression beyond
# the threshold, 1 one or more, 2 usage, 3 bad or incomparable results.
#
# Usage: report.sh TLBBENCH OUT BASE NEW... (COMPARE_FLAGS: extra flags of
# tlbbench compare, e.g. --threshold=2 --labels=a,b)
set -eu

tlbbench=$1 out=$2
shift 2
[ $# -ge 2 ] || { echo "report: give a base and at least one other results folder" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$out"

rc=0
# shellcheck disable=SC2086 # COMPARE_FLAGS is a list of flags
"$tlbbench" compare ${COMPARE_FLAGS:-} --format=json "$@" > "$out/report.json" || rc=$?
case $rc in 0 | 1) ;; *) echo "report: stage compare failed (exit $rc)" >&2; exit "$rc" ;; esac

echo "report: drawing figures into $out/figures"
"$python" "$here/../plots/plot.py" report "$out/report.json" "$out/figures" ||
	{ echo "report: stage figures failed" >&2; exit 1; }
# profiled runs (tlbbench run --profile): the kernel symbols of every
# regression, base and patched side by side
"$python" "$here/report/profile-diff.py" "$out/report.json" "$out/figures" ||
	{ echo "report: stage profiles failed" >&2; exit 1; }
# the same report, not a second comparison: its forms with the figures
"$tlbbench" compare --from="$out/report.json" --figures="$out/figures" --out="$out" > /dev/null ||
	[ $? = 1 ] || { echo "report: stage render failed" >&2; exit 1; }
echo "report: $out/report.txt ($out/report.{md,json,html})"
"$python" "$here/report/compare_report.py" verdict "$out/report.json" | sed 's/^/report: /'
exit "$rc"
