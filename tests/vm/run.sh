#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of the kernel and VM pipeline: build the baseline kernel
# (and again: nothing may be rebuilt), boot it and run the runner in the
# guest, assert on the JSON it wrote; a guest panic and a guest hang must
# fail the boot with the right status and message; a wrong tarball hash, a
# patch that does not apply and a bad variant file must stop the build
# naming the cause; the linux-image package must build.
# Writes "PASSED FAILED SKIPPED" to $BUILD/test-results/vm.
set -eu
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
export BUILD
tmp=$BUILD/test-vm
rm -rf "$tmp"
mkdir -p "$tmp" "$BUILD/test-results"
pass=0 fail=0 skip=0
kdir=$BUILD/kernels/baseline

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1: $2"; [ ! -e "$tmp/$1.log" ] || sed 's/^/#   /' "$tmp/$1.log" | tail -n 20; }
skipped() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }

# run NAME CMD...: run CMD, output in $tmp/NAME.log, status in $rc and
# seconds taken in $secs.
run() {
	name=$1
	shift
	start=$(date +%s)
	rc=0
	"$@" > "$tmp/$name.log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
}
has() { grep -qF -- "$2" "$tmp/$1.log"; }

# expect_fail NAME STATUS TEXT CMD...: CMD must exit with STATUS ("nonzero"
# for any failure) and print TEXT.
expect_fail() {
	name=$1 want=$2 text=$3
	shift 3
	run "$name" "$@"
	if [ "$rc" = 0 ] || { [ "$want" != nonzero ] && [ "$rc" != "$want" ]; }; then
		not_ok "$name" "exit status $rc, expected $want"
	elif ! has "$name" "$text"; then
		not_ok "$name" "no '$text' in the output"
	else
		ok "$name (status $rc, ${secs}s)"
	fi
}

mk() { $MAKE --no-print-directory -s "$@"; }

# 1. Build; a second build changes nothing.
run kernel-build mk kernel K=baseline
if [ "$rc" = 0 ] && [ -s "$kdir/Image" ]; then
	ok "kernel-build (${secs}s)"
else
	not_ok kernel-build "make kernel K=baseline: status $rc"
	echo "$pass $fail $skip" > "$BUILD/test-results/vm"
	exit 1
fi
# the worktree every variant of the 6.1 base builds in
src=$BUILD/trees/$(sed -n 's/^package=//p' kernel-patches/base.pin)-$(sed -n 's/^sha256=//p' kernel-patches/base.pin | cut -c1-12)
before=$(stat -c %Y "$kdir/Image" "$src/Makefile" "$kdir/obj/vmlinux")
run kernel-noop mk kernel K=baseline
after=$(stat -c %Y "$kdir/Image" "$src/Makefile" "$kdir/obj/vmlinux")
if [ "$rc" = 0 ] && [ "$before" = "$after" ] && has kernel-noop "up to date"; then
	ok "kernel-noop (${secs}s)"
else
	not_ok kernel-noop "status $rc, mtimes before '$before' after '$after'"
fi

# 2. Boot and run the runner (or, until it exists, a busybox job).
boot() { harness/vm/boot.sh --run-dir "$tmp/$1" --timeout "$2" --cmd "$3" baseline; }
runner=$BUILD/aarch64/bin/tlbbench
if [ -x "$runner" ]; then
	run boot-runner boot run-fault 300 \
		'tlbbench run fault --bytes=4M --reps=2 --warmup=1 --verify --out=samples.jsonl'
	if [ "$rc" != 0 ]; then
		not_ok boot-runner "boot.sh status $rc"
	elif ! tests/vm/check_samples.py "$tmp/run-fault/samples.jsonl" tcg baseline \
		"$(cat "$kdir/release")" "$(cat "$kdir/config.sha256")" >> "$tmp/boot-runner.log" 2>&1; then
		not_ok boot-runner "samples.jsonl check failed"
	else
		ok "boot-runner (${secs}s)"
	fi
else
	skipped boot-runner "no $runner (make guest-runner)"
	# shellcheck disable=SC2016 # expanded in the guest
	run boot-busybox boot run-busybox 120 'echo "{\"release\": \"$(uname -r)\"}" > samples.jsonl'
	if [ "$rc" = 0 ] && python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(r["release"] != sys.argv[2])' \
		"$tmp/run-busybox/samples.jsonl" "$(cat "$kdir/release")"; then
		ok "boot-busybox (${secs}s)"
	else
		not_ok boot-busybox "status $rc or wrong samples.jsonl"
	fi
fi

# 3. A panic and a hang fail the boot at once / at the timeout; what the
# job wrote before is kept.  QEMU's own failure is told apart.
expect_fail boot-panic 10 "boot baseline: guest panicked during job" \
	boot run-panic 120 'echo kept > before-panic; echo c > /proc/sysrq-trigger'
[ "$secs" -lt 60 ] || not_ok boot-panic-fast "the panic took ${secs}s to end QEMU"
[ "$(cat "$tmp/run-panic/before-panic" 2>/dev/null)" = kept ] ||
	not_ok boot-panic-kept "before-panic was not kept"
[ -s "$tmp/run-panic/console.log" ] || not_ok boot-panic-console "no console.log"
expect_fail boot-hang 11 "boot baseline: guest hung: no exit within 15s during job" \
	boot run-hang 15 'sleep 100000'
[ "$secs" -lt 40 ] || not_ok boot-hang-timeout "the hang took ${secs}s to stop"
expect_fail boot-qemu-fails 12 "boot baseline: QEMU failed with status 1 during boot" \
	env QEMU_EXTRA=-no-such-option harness/vm/boot.sh --run-dir "$tmp/run-qemu" --timeout 60 baseline

# A misspelt model preset or key stops boot and bench before any build,
# with the plugin's own message.
expect_fail core-typo 2 "unknown core 'neoverse-n9'" mk bench CORE=neoverse-n9 BENCH_VARIANTS=no-such
[ "$secs" -lt 30 ] || not_ok core-typo-early "make bench CORE= took ${secs}s to refuse"
expect_fail model-key-typo 2 "unknown argument 'l2_wayz'" mk boot K=no-such TLBSIM_ARGS=l2_wayz=8

# 4. A wrong tarball hash and a patch that does not apply stop the build.
sed 's/^sha256=.*/sha256=0000000000000000000000000000000000000000000000000000000000000000/' \
	kernel-patches/base.pin > "$tmp/bad.pin"
expect_fail pin-mismatch nonzero "sha256 mismatch: expected 0000000000000000000000000000000000000000000000000000000000000000, found " \
	mk kernel K=baseline PIN="$tmp/bad.pin"

pd=$tmp/patches
mkdir -p "$pd/variants" "$pd/broken"
cp -r kernel-patches/configs kernel-patches/base.pin "$pd/"
printf 'description=a patch that does not apply\nseries=broken\nconfigs=bench.config\n' \
	> "$pd/variants/test-broken.variant"
echo 0001-makefile-bogus.patch > "$pd/broken/series"
cat > "$pd/broken/0001-makefile-bogus.patch" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: tlbbench test <tlbbench@invalid>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH] Makefile: change a line that is not there

---
 Makefile | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/Makefile b/Makefile
--- a/Makefile
+++ b/Makefile
@@ -1,3 +1,3 @@
 # SPDX-License-Identifier: GPL-2.0
-VERSION = 9
+VERSION = 10
 PATCHLEVEL = 1
-- 
2.39.5
PATCH
expect_fail patch-fails nonzero "patch broken/0001-makefile-bogus.patch does not apply" \
	mk kernel K=test-broken PATCHES="$pd"
if ! has patch-fails "while searching for:" || ! has patch-fails "VERSION = 9"; then
	not_ok patch-fails-hunk "the failing hunk is not shown"
fi
rm -rf "$BUILD/kernels/test-broken"

printf 'description=x\nseries=\nconfigs=bench.config\nseries=\n' > "$pd/variants/test-dup.variant"
expect_fail variant-duplicate nonzero "test-dup.variant:4: duplicate key 'series'" \
	mk kernel K=test-dup PATCHES="$pd"
printf 'description=x\nseries=nope\nconfigs=bench.config\nconfig=x\n' > "$pd/variants/test-bad.variant"
expect_fail variant-unknown-key nonzero "test-bad.variant:4: unknown key 'config'" \
	mk kernel K=test-bad PATCHES="$pd"
printf 'description=x\nseries=nope\nconfigs=bench.config\n' > "$pd/variants/test-nope.variant"
expect_fail variant-no-series nonzero "test-nope.variant:2: series 'nope': no folder" \
	mk kernel K=test-nope PATCHES="$pd"
printf 'description=x\nseries=broken:2\nconfigs=bench.config\n' > "$pd/variants/test-prefix.variant"
expect_fail variant-prefix-long nonzero "test-prefix.variant:2: 'broken:2': series 'broken' has only 1 patches" \
	mk kernel K=test-prefix PATCHES="$pd"
printf 'description=x\nbase=nope\nseries=\nconfigs=bench.config\n' > "$pd/variants/test-base.variant"
expect_fail variant-no-base nonzero "test-base.variant:2: base 'nope': no pin file" \
	mk kernel K=test-base PATCHES="$pd"
printf 'description=x\nseries=\nconfigs=bench.config\nagainst=nope\n' > "$pd/variants/test-against.variant"
expect_fail variant-no-against nonzero "test-against.variant:4: against 'nope': no" \
	mk kernel K=test-against PATCHES="$pd"
printf 'description=x\nseries=\nconfigs=bench.config\nlocalversion=-a b\n' > "$pd/variants/test-lv.variant"
expect_fail variant-bad-localversion nonzero "test-lv.variant:4: localversion is" \
	mk kernel K=test-lv PATCHES="$pd"

# 5. The Debian package, cross-built from the bench configuration.
run kernel-pkg mk kernel-pkg K=baseline
deb=""
for f in "$kdir"/linux-image-"$(cat "$kdir/release")"_*_arm64.deb; do
	[ ! -e "$f" ] || deb=$f
done
if [ "$rc" != 0 ]; then
	not_ok kernel-pkg "make kernel-pkg: status $rc"
elif [ -z "$deb" ]; then
	not_ok kernel-pkg "no linux-image .deb in $kdir"
elif [ "$(dpkg-deb -f "$deb" Architecture)" != arm64 ]; then
	not_ok kernel-pkg "$deb is not arm64"
else
	ok "kernel-pkg (${secs}s)"
fi

echo "$pass $fail $skip" > "$BUILD/test-results/vm"
echo "vm: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
