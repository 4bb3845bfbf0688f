#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench under TCG: build every variant, run the plan in a guest of
# each with the TLB model, and end with the reports comparing every
# variant against what its variant file names (against=, default
# baseline).  Each stage prints a progress
# line with the elapsed time and an estimate of what is left, taken from
# the stages of the same kind already done.
#
# PLUGIN is the plugin and its arguments, as boot.sh --plugin takes them
# (make bench CORE=neoverse-n1 passes libtlbsim.so,core=neoverse-n1).
#
# Usage: bench.sh TLBBENCH PLUGIN[,ARG=V...] PLAN RUN-DIR VARIANT...
set -eu

tlbbench=$1 plugin=$2 plan=$3 run=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
nvar=$#
stages=$((2 * nvar + 1))
stage=0
t0=$(date +%s)
build_done=0 build_secs=0 run_done=0 run_secs=0

dur() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# left KIND: what the remaining stages should take, from those done
left() {
	builds=$((nvar - build_done)) runs=$((nvar - run_done)) est=0
	if [ "$builds" -gt 0 ] && [ "$build_done" = 0 ]; then echo "estimate after the first build"; return; fi
	if [ "$runs" -gt 0 ] && [ "$run_done" = 0 ]; then echo "estimate after the first run"; return; fi
	[ "$build_done" = 0 ] || est=$((est + builds * build_secs / build_done))
	[ "$run_done" = 0 ] || est=$((est + runs * run_secs / run_done))
	echo "about $(dur "$est") left"
}

progress() {
	stage=$((stage + 1))
	echo "bench [$stage/$stages] $1 (elapsed $(dur $(($(date +%s) - t0))), $(left))"
}

for v in "$@"; do
	progress "build kernel $v"
	s=$(date +%s)
	"$here/kernel/kbuild.sh" "$v" || { echo "bench: stage build of $v failed" >&2; exit 1; }
	build_done=$((build_done + 1)) build_secs=$((build_secs + $(date +%s) - s))
done

status=0
for v in "$@"; do
	progress "run $plan on $v under TCG with the TLB model"
	s=$(date +%s)
	"$here/bench-tcg.sh" "$tlbbench" "$plugin" "$plan" "$run" "$v" || status=1
	run_done=$((run_done + 1)) run_secs=$((run_secs + $(date +%s) - s))
done

progress "report"
# One report per base: each variant against what its file names
# (against=, default baseline; none for a reference compared with
# nothing), when both were run.  Against baseline: $run/report.*;
# against another variant B: $run/against-B/report.*.
bases="" pairs=""
for v in "$@"; do
	a=$("$here/kernel/variants.sh" --against "$v") || exit 1
	[ "$a" != none ] || continue
	case " $* " in *" $a "*) ;; *) echo "bench: $v is compared against $a, which this run does not include"; continue ;; esac
	case " $bases " in *" $a "*) ;; *) bases="$bases $a" ;; esac
	pairs="$pairs $v:$a"
done
if [ -z "$bases" ]; then
	echo "bench: nothing to compare: results in $run/<variant>/samples.jsonl"
	exit "$status"
fi
# the layout noise the verdict's floor must absorb, when measured here
noise=${BUILD:-build}/layout-noise/report.json
if [ -s "$noise" ]; then
	COMPARE_FLAGS="${COMPARE_FLAGS:-} --noise=$noise"
	export COMPARE_FLAGS
else
	echo "bench: layout noise not measured here (make layout-noise); the reports say so"
fi
worst=0
for b in $bases; do
	dirs="$run/$b"
	for p in $pairs; do
		case "$p" in *:"$b") dirs="$dirs $run/${p%%:*}" ;; esac
	done
	for d in $dirs; do
		[ -s "$d/samples.jsonl" ] || { echo "bench: no results in $d to compare (see $d/console.log)" >&2; exit 1; }
	done
	out=$run
	[ "$b" = baseline ] || out=$run/against-$b
	rc=0
	# shellcheck disable=SC2086 # one folder per variant
	"$here/report.sh" "$tlbbench" "$out" $dirs || rc=$?
	[ "$rc" -le "$worst" ] || worst=$rc
done
echo "bench: done in $(dur $(($(date +%s) - t0)))"
# a regression found is a result, not a failure of the bench
[ "$worst" -le 1 ] || status=1
exit "$status"
