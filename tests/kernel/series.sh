#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-series: harness/kernel/series-check.sh for every series that a
# bench variant stacks (harness/kernel/variants.sh --series): cover
# letter, series file, git am, checkpatch; no Image (SERIES_BUILD=none).
# Building is the make series-check SERIES=NAME gate's: on a cold clone
# each prefix that touches a header included everywhere rebuilds ~1000
# objects (~15 minutes on 2 cores), and make test already builds the
# series' objects elsewhere (test-aa links prefixes 2 and 6, test-ptep-series
# compiles every object each patch touches, test-ptep-noderef on three
# architectures).  Each check
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
	SERIES_BUILD=none "$here/harness/kernel/series-check.sh" "$s" "series-$s" || status=1
	parts="$parts series-$s"
done
# shellcheck disable=SC2086
"$here/tests/lib/combine" series $parts || status=1
exit $status
