#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel variants "make bench" measures: every variant file under
# kernel-patches/variants/ except those that say bench=no (debug and
# test-only kernels), baseline first because everything is compared
# against it.  Prints the names on one line.
#
# Usage: variants.sh [PATCHES-DIR]
set -eu
dir=${1:-kernel-patches}/variants
names=baseline
[ -r "$dir/baseline.variant" ] || { echo "variants.sh: no $dir/baseline.variant" >&2; exit 1; }
for f in "$dir"/*.variant; do
	v=$(basename "$f" .variant)
	[ "$v" != baseline ] || continue
	bench=$(sed -n 's/^bench=//p' "$f")
	[ "$bench" = no ] || names="$names $v"
done
echo "$names"
