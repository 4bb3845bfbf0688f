#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-series: harness/kernel/series-check.sh for every series that a
# bench variant stacks (harness/kernel/variants.sh --series), building the
# whole series only (SERIES_BUILD=last): every prefix is the make
# series-check gate's, which costs a near-full rebuild per header change.  Each check
# is fingerprinted, so a series unchanged since it last passed costs
# nothing.  The suite "series" adds up the per-series counts.
set -eu
BUILD=${BUILD:-build}
export BUILD
here=$(cd "$(dirname "$0")/../.." && pwd)
list=$("$here/harness/kernel/variants.sh" --series)
[ -n "$list" ] || { echo "test-series: no bench variant stacks a series" >&2; exit 1; }
status=0 parts=""
for s in $list; do
	SERIES_BUILD=last "$here/harness/kernel/series-check.sh" "$s" "series-$s" || status=1
	parts="$parts series-$s"
done
# shellcheck disable=SC2086
"$here/tests/lib/combine" series $parts || status=1
exit $status
