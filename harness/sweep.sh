#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make sweep: run a plan once per value of a knob, in one deterministic
# TCG boot with the TLB model, and report the trade-off.
#
# KNOB is either a runtime tunable, named by its path under /sys/kernel/mm
# (contpte/<name> once the contpte series lands, or e.g.
# transparent_hugepage/enabled): the job writes each value there before
# the plan's runs; or a workload option of the plan (backing, ...): each
# value gets a copy of the plan with KNOB=value in every stanza that names
# KNOB (so every value must be one each of those workloads takes).
#
# Leaves RUN-DIR/<knob>=<value>/samples.jsonl per value (model counters
# merged), the comparison of every value against the first as
# RUN-DIR/report.{txt,md,json,html}, and the trade-off (TLB refills saved
# against the cost in time of the other workloads) as RUN-DIR/sweep.json,
# RUN-DIR/sweep.txt and figures.
#
# Usage: sweep.sh TLBBENCH PLUGIN[,ARG=V...] PLAN RUN-DIR VARIANT KNOB VALUE...
set -eu

[ $# -ge 7 ] || { echo "usage: sweep.sh TLBBENCH PLUGIN PLAN RUN-DIR VARIANT KNOB VALUE..." >&2; exit 2; }
tlbbench=$1 plugin=$2 plan=$3 run=$4 variant=$5 knob=$6
shift 6
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}

case "$knob" in
*/*)	kind=sysfs
	case "$knob" in *..* | /*) echo "sweep: KNOB=$knob: name a file under /sys/kernel/mm" >&2; exit 2 ;; esac ;;
*[!a-z0-9_]* | '') echo "sweep: KNOB=$knob is neither a /sys/kernel/mm path nor an option name" >&2; exit 2 ;;
*)	kind=option
	grep -q "^$knob=" "$plan" ||
		{ echo "sweep: $plan sets no '$knob': every stanza swept must name it" >&2; exit 2; } ;;
esac
for v in "$@"; do
	case "$v" in *[!A-Za-z0-9_.+-]* | '') echo "sweep: value '$v' (use letters, digits, . _ + -)" >&2; exit 2 ;; esac
done

mkdir -p "$run/plans"
# one plan per value, checked here before the boot: a value some workload
# of the plan does not take is an error now, not a failed run later
i=0
for v in "$@"; do
	i=$((i + 1))
	if [ "$kind" = sysfs ]; then
		cp "$plan" "$run/plans/sweep-$i.plan"
	else
		awk -v k="$knob" -v v="$v" '
			index($0, k "=") == 1 { print k "=" v; next }
			{ print }' "$plan" > "$run/plans/sweep-$i.plan"
	fi
	"$tlbbench" plan "$run/plans/sweep-$i.plan" --dry-run > /dev/null ||
		{ echo "sweep: stage plan: $knob=$v does not make a valid plan of $plan" >&2; exit 2; }
done

# the job: one plan run per value, each into its own raw file
job=$run/job.sh
i=0
{
	"$here/xfs-job.sh" "$run"/plans/sweep-*.plan
	for v in "$@"; do
		i=$((i + 1))
		[ "$kind" = option ] ||
			echo "echo '$v' > /sys/kernel/mm/$knob || { echo 'sweep: cannot write $v to /sys/kernel/mm/$knob' >&2; exit 1; }"
		echo "cat > /tmp/sweep-$i.plan <<'TLBBENCH_PLAN'"
		cat "$run/plans/sweep-$i.plan"
		echo "TLBBENCH_PLAN"
		echo "echo 'sweep: $knob=$v'"
		echo "/bin/tlbbench plan /tmp/sweep-$i.plan --out=sweep-$i.raw.jsonl || echo 'sweep: $knob=$v: the plan failed' >&2"
	done
} > "$job"

echo "sweep: $knob over $*: one boot of $variant under TCG with the TLB model"
t0=$(date +%s)
brc=0
# hugetlb pages for the hugetlb backings; SWEEP_BOOT_FLAGS adds or overrides
# shellcheck disable=SC2086 # a list of boot.sh flags
"$here/vm/boot.sh" --deterministic --hugepages "64K:512,2M:32" ${SWEEP_BOOT_FLAGS:-} \
	--run-dir "$run/boot" --plugin "$plugin" --job "$job" "$variant" || brc=$?
echo "sweep: boot done in $(($(date +%s) - t0))s"

dirs="" labels="" i=0
for v in "$@"; do
	i=$((i + 1))
	raw=$run/boot/sweep-$i.raw.jsonl
	d=$run/$(echo "$knob" | tr / .)=$v
	if [ ! -s "$raw" ]; then
		echo "sweep: stage run: $knob=$v wrote no samples (see $run/boot/console.log)" >&2
		exit 1
	fi
	mkdir -p "$d"
	"$tlbbench" merge "$raw" "$run/boot/tlbsim.jsonl" --out="$d/samples.jsonl" ||
		{ echo "sweep: stage merge of $knob=$v failed" >&2; exit 1; }
	"$tlbbench" validate "$d/samples.jsonl"
	dirs="$dirs $d" labels="$labels${labels:+,}$v"
done
[ "$brc" = 0 ] || { echo "sweep: the boot failed (exit $brc); the values above were kept" >&2; exit 1; }

ignore=""
[ "$kind" = sysfs ] || ignore="--ignore-option=$knob"
rc=0
# shellcheck disable=SC2086 # one folder per value
COMPARE_FLAGS="--labels=$labels $ignore" "$here/report.sh" "$tlbbench" "$run" $dirs || rc=$?
[ "$rc" -le 1 ] || exit 1
"$python" "$here/report/sweep-points.py" "$knob" "$run/report.json" "$run/sweep.json" > "$run/sweep.txt" ||
	{ echo "sweep: stage trade-off failed" >&2; exit 1; }
"$python" "$here/../plots/plot.py" sweep --knob="$knob" "$run/sweep.json" "$run/figures" ||
	{ echo "sweep: stage trade-off figures failed" >&2; exit 1; }
for f in "$run"/figures/sweep*.txt; do [ ! -r "$f" ] || cat "$f" >> "$run/sweep.txt"; done
cat "$run/sweep.txt"
echo "sweep: $run/sweep.txt, $run/report.txt"
