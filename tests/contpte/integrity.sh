#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The contpte data-integrity stress (tests/contpte/integrity.c), natively
# and in a TCG guest of a kernel variant.
#
#   integrity.sh test HOST-BIN GUEST-BIN
#       make test-contpte-integrity: a short native self-test, the
#       injected corruption caught natively, then a bounded run and the
#       injection in one baseline guest (2 vCPUs, 2 NUMA nodes, zram swap)
#   integrity.sh stress GUEST-BIN VARIANT OPS EXPECT [ARGS...]
#       make contpte-stress: OPS operations in a guest of VARIANT; EXPECT
#       pass (0 corrupt bytes, and folds and unfolds on a contpte kernel)
#       or corrupt (a seeded kernel bug: the stress must report corrupt
#       bytes, naming the offset)
#
# The guest's records are in $BUILD/contpte-integrity/<name>/run/:
# integrity.jsonl (one record per phase) and job.log (the stress's lines).
set -eu
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
export BUILD
. tests/lib/result.sh
mode=$1
shift
top=$BUILD/contpte-integrity

# The job: zram swap when the kernel has it, then each run "NAME ARGS".
guest_job() {
	cat << 'EOF_JOB'
mkdir -p /stress
mount -t 9p -o trans=virtio,version=9p2000.L,ro stress /stress || exit 3
cp /stress/contpte-integrity /tmp/ || exit 3
if [ -e /sys/block/zram0/disksize ] && echo 64M > /sys/block/zram0/disksize &&
	mkswap /dev/zram0 > /dev/null && swapon /dev/zram0; then
	echo "integrity job: swap on zram0 (64M)"
else
	echo "integrity job: no zram swap on this kernel (the swap operation is skipped)"
fi
EOF_JOB
	for job_run in "$@"; do
		job_name=${job_run%% *} job_args=${job_run#* }
		echo "echo \"integrity job: $job_name: \$(date +%s)\""
		echo "/tmp/contpte-integrity $job_args --out=/results/$job_name.jsonl 2> /results/$job_name.log; echo \$? > /results/$job_name.rc"
		echo "tail -n 3 /results/$job_name.log"
	done
}

# boot VARIANT NAME TIMEOUT RUN...: one guest doing every RUN.
boot() {
	variant=$1 name=$2 tmo=$3
	shift 3
	dir=$top/$name
	rm -rf "$dir"
	mkdir -p "$dir/share"
	cp "$guest_bin" "$dir/share/contpte-integrity"
	guest_job "$@" > "$dir/job.sh"
	echo "integrity: booting $variant under TCG (2 vCPUs, 2 NUMA nodes), timeout ${tmo}s -> $dir/run"
	rc=0
	QEMU_EXTRA="-fsdev local,id=stress,path=$dir/share,security_model=none,readonly=on -device virtio-9p-pci,fsdev=stress,mount_tag=stress" \
		harness/vm/boot.sh --run-dir "$dir/run" --timeout "$tmo" --smp 2 --numa 2 --mem 1G \
		--job "$dir/job.sh" "$variant" > "$dir/boot.log" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		tail -n 20 "$dir/boot.log"
		echo "integrity: the guest of $variant failed with status $rc (log: $dir/boot.log)"
		return 1
	fi
}

# check NAME LOG RC EXPECT: one result line; EXPECT pass or corrupt.
# LOG is NAME.log beside NAME.jsonl, the phase records, checked too.
check() {
	name=$1 log=$2 rc=$3 expect=$4
	summary=$(grep '^integrity: [0-9]* ops' "$log" | tail -n 1 || true)
	[ -z "$summary" ] || echo "  $summary"
	if ! why=$(tests/contpte/check_records.py "${log%.log}.jsonl" 2>&1); then
		t_fail "$name" "$why"
		return
	fi
	case "$expect" in
	pass)
		if [ "$rc" = 0 ] && grep -q '^integrity: PASS$' "$log"; then
			t_pass "$name"
		else
			t_fail "$name" "exit $rc: $(grep 'FAIL\|CORRUPT' "$log" | head -n 3 | tr '\n' ' ')"
		fi ;;
	corrupt)
		# the offset injected (or, for a seeded kernel bug, any) must be named
		want=$(sed -n 's/^integrity: inject: flipped \([^ ]*\) .*/\1/p' "$log")
		pat="^integrity: CORRUPT ${want:+$want }"
		[ -n "$want" ] || pat='^integrity: CORRUPT [a-z]*+0x'
		if [ "$rc" = 1 ] && grep -q "$pat" "$log"; then
			t_pass "$name (reported: $(grep -m 1 '^integrity: CORRUPT' "$log" | cut -d' ' -f3-))"
		else
			t_fail "$name" "exit $rc, corruption ${want:-} not reported"
		fi ;;
	esac
}

case "$mode" in
test)
	host_bin=$1 guest_bin=$2
	t_begin contpte-integrity
	rm -rf "$top/native"
	mkdir -p "$top/native"
	# natively: no KSM (it would switch the host's ksmd on), no swap set up
	rc=0
	"$host_bin" --ops=3000 --seed=7 --skip=ksm --out="$top/native/pass.jsonl" \
		2> "$top/native/pass.log" || rc=$?
	check "native: 3000 ops, no corrupt byte" "$top/native/pass.log" "$rc" pass
	rc=0
	"$host_bin" --ops=3000 --seed=7 --skip=ksm --inject --out="$top/native/inject.jsonl" \
		2> "$top/native/inject.log" || rc=$?
	check "native: an injected corrupt byte is reported" "$top/native/inject.log" "$rc" corrupt
	$MAKE --no-print-directory -s kernel K=baseline
	if boot baseline guest 900 "pass --ops=${INTEGRITY_TEST_OPS:-20000} --seed=11" \
		"inject --ops=2000 --seed=11 --skip=ksm,race --inject"; then
		r=$top/guest/run
		check "guest baseline: ${INTEGRITY_TEST_OPS:-20000} ops, no corrupt byte" \
			"$r/pass.log" "$(cat "$r/pass.rc")" pass
		grep 'skipped:' "$r/pass.log" | sed 's/^/  /' || true
		check "guest baseline: an injected corrupt byte is reported" \
			"$r/inject.log" "$(cat "$r/inject.rc")" corrupt
	else
		t_fail "guest baseline" "boot failed"
	fi
	t_end ;;
stress)
	guest_bin=$1 variant=$2 ops=$3 expect=$4
	shift 4
	t_begin contpte-stress
	$MAKE --no-print-directory -s kernel K="$variant"
	name=stress-$variant
	if boot "$variant" "$name" "${STRESS_TIMEOUT:-86400}" "stress --ops=$ops $*"; then
		r=$top/$name/run
		check "contpte-stress $variant: $ops ops" "$r/stress.log" "$(cat "$r/stress.rc")" "$expect"
		grep 'skipped:\|FAIL' "$r/stress.log" | sed 's/^/  /' || true
	else
		t_fail "contpte-stress $variant" "boot failed"
	fi
	t_end ;;
*)
	echo "integrity.sh: mode test or stress" >&2
	exit 2 ;;
esac
