#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# How did a boot end?  From QEMU's exit status, the files the guest's init
# left in the run folder (guest-started, exit-status) and the console log,
# print one line and exit with boot.sh's status: the job's own status when
# it ran to the end, 10 panic or oops, 11 hang, 12 QEMU failure or an early
# stop.  The stage is boot (before init ran the job), job, or shutdown.
#
# Usage: verdict.sh RUN_DIR QEMU_STATUS TIMEOUT_SECONDS
set -eu
run=$1 rc=$2 tmo=$3
log=${run#"$PWD/"}/console.log

stage=boot
[ ! -e "$run/guest-started" ] || stage=job
# deterministic boots copy guest-started at the end; init says it on the console
grep -aq '^tlbbench-init: running job.sh' "$run/console.log" 2> /dev/null && stage=job
[ ! -e "$run/exit-status" ] || stage=shutdown

# The first line saying why the kernel died, and the panic line.
cause=$(grep -a -m 1 -E 'Internal error: Oops|Unable to handle kernel|BUG: |kernel BUG at' \
	"$run/console.log" 2> /dev/null | tr -d '\r' || true)
panic=$(grep -a -m 1 'Kernel panic - not syncing' "$run/console.log" 2> /dev/null | tr -d '\r' || true)
why=$(printf '%s\n' "$cause" "$panic" | grep -m 2 . | sed 's/^\[[ 0-9.]*\] //' | paste -sd ';' - || true)

case "$rc" in
124 | 137)
	echo "guest hung: no exit within ${tmo}s during $stage${why:+ ($why)} (see $log)"
	exit 11 ;;
esac
# QEMU exits with 1 and says nothing when pvpanic reports a guest panic.
if [ -n "$panic" ] || { [ "$rc" = 1 ] && [ ! -s "$run/qemu.log" ]; }; then
	echo "guest panicked during $stage${why:+: $why} (see $log)"
	exit 10
fi
if [ "$rc" != 0 ]; then
	echo "QEMU failed with status $rc during $stage: $(head -n 1 "$run/qemu.log") (see ${run#"$PWD/"}/qemu.log)"
	exit 12
fi
if [ "$stage" != shutdown ]; then
	echo "guest stopped during $stage without finishing the job (see $log)"
	exit 12
fi
status=$(cat "$run/exit-status")
case "$status" in '' | *[!0-9]*) echo "bad exit-status '$status' from the guest"; exit 12 ;; esac
warnings=$(grep -a -c 'WARNING: CPU' "$run/console.log" || true)
[ "$warnings" = 0 ] && warnings="" || warnings="; $warnings kernel WARNING(s) in $log"
if [ "$status" = 0 ]; then
	echo "job passed (results in ${run#"$PWD/"}$warnings)"
else
	echo "job exited with status $status (see ${run#"$PWD/"}/job.log$warnings)"
fi
exit "$status"
