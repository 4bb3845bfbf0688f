#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make report: compare results against a base and write the report in its
# four forms with its figures:
#   OUT/report.{txt,md,json,html}, OUT/figures/
# then print the text report's path and its verdict.  The exit status is
# compare's: 0 no significant regression beyond the threshold, 1 one or
# more, 2 usage, 3 bad or incomparable results.
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
"$python" "$here/profile-diff.py" "$out/report.json" "$out/figures" ||
	{ echo "report: stage profiles failed" >&2; exit 1; }
rc=0
# shellcheck disable=SC2086
"$tlbbench" compare ${COMPARE_FLAGS:-} --figures="$out/figures" --out="$out" "$@" > /dev/null || rc=$?
case $rc in 0 | 1) ;; *) echo "report: stage render failed (exit $rc)" >&2; exit "$rc" ;; esac
echo "report: $out/report.txt ($out/report.{md,json,html})"
sed -n '2,3p' "$out/report.txt" | sed 's/^/report: /'
exit "$rc"
