#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-bisect: make bisect finds a seeded bad patch inside a real
# series.  A copy of kernel-patches/ gets the series "ptep-seeded": the
# ptep-deref patches with kernel-patches/seeded-flush (one needless
# flush_tlb_page() per anonymous fault) placed after the second, in a
# variant compared against baseline.  Then:
#  - bisect-names-seeded: bisecting tlbi_va of fault names the seeded
#    patch, in fewer kernels than a walk over every prefix;
#  - bisect-still-metric: a metric the seeded patch does not move (ops)
#    is refused with "does not move".
# About 4 kernel builds (most objects from the compiler cache) and as many
# one-stanza deterministic boots: a gate of its own, not part of make test.
# Usage: bisect.sh TLBBENCH PLUGIN
set -eu
tlbbench=$1 plugin=$2
BUILD=${BUILD:-build}
export BUILD
. tests/lib/result.sh
t_begin bisect
tmp=$BUILD/test-bisect
rm -rf "$tmp"
mkdir -p "$tmp"
pd=$tmp/patches
cp -r kernel-patches "$pd"
mkdir -p "$pd/ptep-seeded"
seeded=$(grep -v '^#' kernel-patches/seeded-flush/series | head -n 1)
i=0
for p in $(grep -v -e '^#' -e '^$' kernel-patches/ptep-deref/series); do
	i=$((i + 1))
	cp "kernel-patches/ptep-deref/$p" "$pd/ptep-seeded/$(printf '%04d' $((i + (i > 2))))-${p#????-}"
done
cp "kernel-patches/seeded-flush/$seeded" "$pd/ptep-seeded/0003-${seeded#????-}"
(cd "$pd/ptep-seeded" && ls -- *.patch) > "$pd/ptep-seeded/series"
printf 'description=ptep-deref with a seeded bad patch third (test only)\nseries=ptep-seeded\nconfigs=bench.config\nagainst=baseline\nbench=no\n' \
	> "$pd/variants/seeded-series.variant"
n=$(wc -l < "$pd/ptep-seeded/series")

rc=0
PATCHES=$pd harness/bisect.sh "$tlbbench" "$plugin" seeded-series fault "bytes=4M access=write" \
	tlbi_va > "$tmp/names.log" 2>&1 || rc=$?
sed 's/^/# /' "$tmp/names.log"
res=$(cat "$BUILD/bisect/seeded-series/result.txt" 2>/dev/null || true)
kernels=$(ls "$BUILD/bisect/seeded-series"/value-* 2>/dev/null | wc -l)
case "$rc:$res" in
0:*"ptep-seeded/0003-${seeded#????-}"*)
	if [ "$kernels" -lt $((n + 1)) ]; then
		t_pass "bisect-names-seeded: the seeded patch, 3rd of $n, after $kernels kernels"
	else
		t_fail bisect-names-seeded "$kernels kernels for $n patches: no better than a walk"
	fi
	;;
*) t_fail bisect-names-seeded "status $rc, result '$res'" ;;
esac

rc=0
PATCHES=$pd harness/bisect.sh "$tlbbench" "$plugin" seeded-series fault "bytes=4M access=write" \
	ops > "$tmp/still.log" 2>&1 || rc=$?
if [ "$rc" != 0 ] && grep -q "does not move" "$tmp/still.log"; then
	t_pass "bisect-still-metric: ops, which the patch does not move, is refused"
else
	t_fail bisect-still-metric "status $rc"
	sed 's/^/# /' "$tmp/still.log"
fi
t_end
