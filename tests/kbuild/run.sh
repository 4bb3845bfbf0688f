#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kbuild gate (make test-kbuild; too slow for make test): the guest
# root image builds and a second build changes nothing; the image holds
# what a kernel build needs where a build looks for it; and "tlbbench run
# kbuild --build=mini" in a deterministic TCG guest with the TLB model,
# booted from the image, passes --verify, and its merged samples validate
# and count the whole make process tree; and --profile in the same guest
# writes a perf.data that the guest's perf reports kernel symbols from
# (check.py).
# Writes "PASSED FAILED SKIPPED" to $BUILD/test-results/kbuild.
#
# Usage: run.sh TLBBENCH PLUGIN ROOTFS-IMAGE
set -eu
tlbbench=$1 plugin=$2 img=$3
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
export BUILD
here=$(cd "$(dirname "$0")" && pwd)
tmp=$BUILD/test-kbuild
rm -rf "$tmp"
mkdir -p "$tmp" "$BUILD/test-results"
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "not ok - $1: $2"
	[ ! -e "$tmp/$1.log" ] || tail -n 20 "$tmp/$1.log" | sed 's/^/#   /'
}
step() { echo "test-kbuild: $*"; }

# 1. The image, then again: up to date, not rewritten.
step "make rootfs (the first build takes a few minutes)"
if $MAKE --no-print-directory -s rootfs > "$tmp/rootfs.log" 2>&1 && [ -s "$img" ]; then
	ok "rootfs builds"
else
	not_ok rootfs "make rootfs failed"
fi
before=$(stat -c %Y "$img" 2> /dev/null || echo none)
if $MAKE --no-print-directory -s rootfs > "$tmp/rootfs-again.log" 2>&1 &&
	grep -q 'up to date' "$tmp/rootfs-again.log" &&
	[ "$(stat -c %Y "$img" 2> /dev/null || echo none)" = "$before" ]; then
	ok "rootfs again: up to date, image untouched"
else
	not_ok rootfs-again "a second make rootfs rebuilt or failed"
fi

# 2. What the skipped maintainer scripts would have made, and the tree.
# debugfs reads the image without mounting it.
look() { debugfs -R "stat $1" "$img" 2> /dev/null | grep -q "$2"; }
for want in "/usr/bin/awk:Fast link dest: \"/usr/bin/mawk\"" \
	"/usr/bin/cc:Fast link dest: \"/usr/bin/gcc\"" \
	"/etc/passwd:Type: regular" "/usr/bin/make:Type: regular" \
	"/usr/bin/perf:Type: regular" "/usr/src/linux/Makefile:Type: regular"; do
	if look "${want%%:*}" "${want#*:}"; then
		ok "image has ${want%%:*}"
	else
		not_ok image "${want%%:*}: expected '${want#*:}'"
	fi
done

# 3. kbuild mini in the guest, with the model; merged and validated.
run=$tmp/guest
cat > "$tmp/job.sh" <<'JOB'
set -e
/bin/tlbbench run kbuild --build=mini --warmup=1 --reps=1 --verify --out=samples.raw.jsonl
/bin/tlbbench run fault --bytes=4M --warmup=0 --reps=1 --profile --out=profile.jsonl
perf report -i profile-fault-*.perf.data --stdio --sort sym > profile.txt 2> profile.err
JOB
step "booting baseline with the image under TCG and the TLB model: kbuild mini (about 20 minutes on a loaded 2-core host)"
rc=0
"$here/../../harness/vm/boot.sh" --deterministic --plugin "$plugin" --disk "$img" \
	--mem 2G --timeout 3000 --run-dir "$run" --job "$tmp/job.sh" baseline \
	> "$tmp/boot.log" 2>&1 || rc=$?
if [ "$rc" = 0 ]; then
	ok "kbuild mini ran in the guest ($(cat "$run/boot-result"))"
else
	cp "$tmp/boot.log" "$tmp/kbuild-guest.log"
	not_ok kbuild-guest "boot.sh exited $rc"
fi
if [ -s "$run/samples.raw.jsonl" ] &&
	"$tlbbench" merge "$run/samples.raw.jsonl" "$run/tlbsim.jsonl" \
		--out="$run/samples.jsonl" > "$tmp/merge.log" 2>&1 &&
	"$tlbbench" validate "$run/samples.jsonl" > "$tmp/merge.log" 2>&1; then
	ok "merge and validate"
else
	not_ok merge "no samples, or merge or validate failed"
fi
if python3 "$here/check.py" "$run/samples.jsonl" "$run/profile.jsonl" "$run/profile.txt" \
	> "$tmp/check.log" 2>&1; then
	ok "samples: verified, whole process tree counted, model counters; profile"
else
	not_ok check "check.py"
fi

echo "$pass $fail 0" > "$BUILD/test-results/kbuild"
echo "kbuild: $pass passed, $fail failed, 0 skipped"
[ "$fail" = 0 ]
