#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run a plan in a TCG guest of each kernel variant, with the tlbsim TLB
# model counting, and leave per variant results/<run-id>/<variant>/:
# samples.raw.jsonl (what the guest wrote), tlbsim.jsonl (the model),
# samples.jsonl (the two merged: model counters under PMU names) and the
# boot's console log.  Boots are deterministic (icount, one vCPU), so the
# model's counts repeat exactly.
#
# Usage: bench-tcg.sh TLBBENCH PLUGIN[,ARG=V...] PLAN RUN-DIR VARIANT...
set -eu

tlbbench=$1 plugin=$2 plan=$3 run=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$run"
job=$run/job.sh
# the plan travels inside the job (and the XFS image when the plan needs
# it): the guest sees only the run folder
{
	"$here/xfs-job.sh" "$plan"
	echo "cat > /tmp/run.plan <<'TLBBENCH_PLAN'"
	cat "$plan"
	echo "TLBBENCH_PLAN"
	echo "/bin/tlbbench plan /tmp/run.plan --out=samples.raw.jsonl"
} > "$job"

status=0
for variant in "$@"; do
	dir=$run/$variant
	echo "bench: $variant: booting under TCG with the TLB model, plan $plan"
	vrc=0
	BUILD=${BUILD:-build} "$here/vm/boot.sh" --deterministic --run-dir "$dir" \
		--plugin "$plugin" --job "$job" "$variant" || vrc=$?
	if [ -s "$dir/samples.raw.jsonl" ]; then
		# whatever the guest measured is kept, merged and checked
		"$tlbbench" merge "$dir/samples.raw.jsonl" "$dir/tlbsim.jsonl" \
			--out="$dir/samples.jsonl" || vrc=1
		"$tlbbench" validate "$dir/samples.jsonl" || vrc=1
	else
		echo "bench: $variant: the guest wrote no samples (see $dir/console.log)" >&2
		[ "$vrc" != 0 ] || vrc=1
	fi
	[ "$vrc" = 0 ] || status=1
	echo "bench: $variant: results in $dir/samples.jsonl"
done
exit "$status"
