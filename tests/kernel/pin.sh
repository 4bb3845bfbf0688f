#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-pin: the pin fetches its own base, whatever version of the
# package the machine has installed, and builds from nothing else.
#  - pin-fetch: into an empty build folder, harness/kernel/base.sh fetches
#    the pinned package version and yields the tarball with the pinned
#    sha256 (the installed version, if any, is printed: it plays no part);
#  - pin-build: make kernel K=baseline builds, and its base is the pinned
#    version (the base commit names it, the Image's release is 6.1.192);
#  - pin-tampered: a cached tarball with one byte changed is refused
#    before anything is extracted, naming both hashes;
#  - pin-base-tarball: BASE_TARBALL= with the right file is used, with a
#    wrong one refused;
#  - pin-unserved: a version Debian does not serve is an error naming the
#    version and both ways out (BASE_TARBALL=, a new pin).
set -eu
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
export BUILD
. tests/lib/result.sh
t_begin pin
tmp=$BUILD/test-pin
rm -rf "$tmp"
mkdir -p "$tmp"
pin=kernel-patches/base.pin
pkg=$(sed -n 's/^package=//p' "$pin")
ver=$(sed -n 's/^version=//p' "$pin")
sha=$(sed -n 's/^sha256=//p' "$pin")
installed=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null || true)
case "$installed" in
"installed $ver") echo "# $pkg $ver (the pinned version) is installed; the fetch below ignores it" ;;
installed\ *) echo "# $pkg ${installed#installed } is installed, the pin says $ver" ;;
*) echo "# $pkg is not installed" ;;
esac

# run NAME CMD...: output in $tmp/NAME.log, status in $rc
run() { n=$1; shift; rc=0; "$@" > "$tmp/$n.log" 2>&1 || rc=$?; }
has() { grep -qF -- "$2" "$tmp/$1.log"; }
show() { sed 's/^/#   /' "$tmp/$1.log" | tail -n 8; }

# 1. A fetch into an empty build folder.
run pin-fetch env BUILD="$tmp/b1" harness/kernel/base.sh
got=$(tail -n 1 "$tmp/pin-fetch.log")
if [ "$rc" = 0 ] && [ -r "$got" ] && [ "$(sha256sum < "$got" | cut -d' ' -f1)" = "$sha" ] &&
	has pin-fetch "fetching $pkg=$ver"; then
	t_pass "pin-fetch: $pkg=$ver fetched into an empty build folder, sha256 as pinned"
else
	t_fail pin-fetch "status $rc, tarball '$got'"
	show pin-fetch
fi

# 2. The real build comes from the pinned version.
run pin-build $MAKE --no-print-directory -s kernel K=baseline
id=$(echo "$sha" | cut -c1-12)
subject=$(git -C "$BUILD/base/$id" log -1 --format=%s base 2>/dev/null || true)
release=$(cat "$BUILD/kernels/baseline/release" 2>/dev/null || true)
if [ "$rc" = 0 ] && [ "$subject" = "base: $pkg $ver" ] && [ "${release%%-*}" = "${ver%%-*}" ]; then
	t_pass "pin-build: make kernel K=baseline builds $subject (release $release)"
else
	t_fail pin-build "status $rc, base '$subject', release '$release'"
	show pin-build
fi

# 3. A tampered cached tarball.
good=$got
[ -r "$good" ] || good=$(harness/kernel/base.sh 2> /dev/null)
cache=$tmp/b2/bases/${pkg}_$ver
mkdir -p "$cache"
cp "$good" "$cache/$(basename "$good")"
printf 'x' | dd of="$cache/$(basename "$good")" bs=1 seek=4096 conv=notrunc 2> /dev/null
run pin-tampered env BUILD="$tmp/b2" harness/kernel/kbuild.sh baseline
if [ "$rc" != 0 ] && has pin-tampered "cached tarball" && has pin-tampered "sha256 mismatch: expected $sha" &&
	[ ! -e "$tmp/b2/base/$(echo "$sha" | cut -c1-12)" ]; then
	t_pass "pin-tampered: a cached tarball with one byte changed is refused, nothing extracted"
else
	t_fail pin-tampered "status $rc; extracted: $(ls "$tmp/b2" | tr '\n' ' ')"
	show pin-tampered
fi

# 4. BASE_TARBALL=, right and wrong.
run pin-base-tarball env BUILD="$tmp/b3" BASE_TARBALL="$good" harness/kernel/base.sh
rc_good=$rc
run pin-base-tarball-bad env BUILD="$tmp/b3" BASE_TARBALL="$cache/$(basename "$good")" harness/kernel/base.sh
if [ "$rc_good" = 0 ] && [ "$(tail -n 1 "$tmp/pin-base-tarball.log")" = "$good" ] &&
	[ ! -e "$tmp/b3/bases/${pkg}_$ver" ] && [ "$rc" != 0 ] &&
	has pin-base-tarball-bad "BASE_TARBALL= $cache/$(basename "$good"): sha256 mismatch"; then
	t_pass "pin-base-tarball: BASE_TARBALL= is used as given when it matches, refused when not"
else
	t_fail pin-base-tarball "good: status $rc_good; bad: status $rc"
	show pin-base-tarball
	show pin-base-tarball-bad
fi

# 5. A version that is not served.
sed "s/^version=.*/version=$ver-tlbbench-unserved/" "$pin" > "$tmp/unserved.pin"
run pin-unserved env BUILD="$tmp/b4" PIN="$tmp/unserved.pin" harness/kernel/base.sh
if [ "$rc" != 0 ] && has pin-unserved "$pkg $ver-tlbbench-unserved is not served" &&
	has pin-unserved "BASE_TARBALL=FILE" && has pin-unserved "new pin file"; then
	t_pass "pin-unserved: an unserved version names itself and the ways out"
else
	t_fail pin-unserved "status $rc"
	show pin-unserved
fi
rm -rf "$tmp/b1" "$tmp/b2" "$tmp/b3" "$tmp/b4"
t_end
