#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bisect VARIANT=V [WORKLOAD=W OPTIONS="k=v ..." METRIC=M] [REPORT=DIR]:
# the first patch of V's series, on top of what V is compared against
# (against=, default baseline), whose deterministic counts of M move.
#
# Counts under the deterministic setup repeat exactly (one vCPU, -icount,
# the TLB model), so one boot per kernel answers "did it move?" without
# repeats, and a bisection over the n patches needs about log2(n) + 2
# kernels.  Every kernel of the bisection is a prefix of V's patch list,
# built as a variant of a generated patches folder ($BUILD/bisect/V/) with
# one release suffix for all, so the release string (mixed into the boot
# entropy) does not move the counts; each builds in the base's worktree,
# through the compiler cache.  The stanza run is the one named: W with
# OPTIONS (the rest of the workload's options at their defaults).
#
# M is a metric name as compare shows it: "time" (ns per operation) or a
# counter as the table names it (tlbbench list --events), optionally with :user or :kernel.
# With REPORT=DIR (a report folder of make bench or make report), the
# result is added to DIR/report.txt and DIR/report.html.
#
# Usage: bisect.sh TLBBENCH PLUGIN VARIANT WORKLOAD "OPTIONS" METRIC [REPORT-DIR]
# (WORKLOAD, OPTIONS and METRIC may be empty with a REPORT-DIR: its first
# regression is bisected)
set -eu
tlbbench=$1 plugin=$2 target=$3 workload=$4 options=$5 metric=$6 report=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PATCHES=${PATCHES:-kernel-patches}
export BUILD

die() { echo "bisect $target: error: $*" >&2; exit 1; }
say() { echo "bisect $target: $*"; }

# The two patch lists, through the pipeline's strict reader.
plist() {
	(variant=$1 kernel_dir=$here/kernel
	. "$here/kernel/lib.sh"
	setup_env
	variant_load
	echo "$v_patches" | tr ' ' '\n' | sed '/^$/d'
	echo "=base ${v_base:-}"
	echo "=configs $v_configs"
	echo "=cmdline $v_cmdline")
}
# Without a workload, the first regression of $target in REPORT-DIR.
if [ -z "$workload" ]; then
	[ -n "$report" ] || die "name WORKLOAD= and METRIC=, or a REPORT= folder to take a regression from"
	found=$(python3 - "$report/report.json" "$target" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sides = [s.get("variant") or s.get("label") for s in r.get("sides", [])]
for g in r["groups"]:
    for m in g["metrics"]:
        for k, s in enumerate(m["sides"]):
            if s.get("regression") and (sys.argv[2] in (sides[k] if k < len(sides) else "") or len(sides) == 2):
                opts = " ".join("%s=%s" % kv for kv in sorted(g["options"].items()))
                print("%s\t%s\t%s" % (g["workload"], opts, m["name"]))
                sys.exit(0)
sys.exit("no regression of %s in %s" % (sys.argv[2], sys.argv[1]))
PY
) || die "REPORT=$report names no regression to bisect"
	workload=$(printf '%s' "$found" | cut -f1)
	options=$(printf '%s' "$found" | cut -f2)
	[ -n "$metric" ] || metric=$(printf '%s' "$found" | cut -f3)
fi
[ -n "$metric" ] || die "name METRIC= (a counter, or time)"
good=$("$here/kernel/variants.sh" --against "$target") || exit 1
[ "$good" != none ] || die "$target is compared against nothing (against=none)"
vlist=$(plist "$target") || exit 1
glist=$(plist "$good") || exit 1
vp=$(echo "$vlist" | grep -v '^=')
gp=$(echo "$glist" | grep -v '^=')
ng=$(echo "$gp" | sed '/^$/d' | wc -l)
nv=$(echo "$vp" | sed '/^$/d' | wc -l)
[ "$(echo "$vp" | head -n "$ng")" = "$gp" ] ||
	die "$good's patches are not the first of $target's: nothing to bisect between them"
n=$((nv - ng))
[ "$n" -gt 0 ] || die "$target has no patch beyond $good's"
for k in base configs cmdline; do
	[ "$(echo "$vlist" | sed -n "s/^=$k //p")" = "$(echo "$glist" | sed -n "s/^=$k //p")" ] ||
		die "$target and $good differ in $k, not only in patches"
done
vbase=$(echo "$vlist" | sed -n 's/^=base //p')
vconfigs=$(echo "$vlist" | sed -n 's/^=configs //p')
vcmdline=$(echo "$vlist" | sed -n 's/^=cmdline //p')

# The generated patches folder: V's patches as one series, and a variant
# per prefix.
work=$BUILD/bisect/$target
pd=$work/patches
rm -rf "$pd"
mkdir -p "$pd/variants" "$pd/bisect"
for f in "$PATCHES"/*.pin "$PATCHES"/configs; do ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$pd/"; done
i=0
for p in $vp; do
	i=$((i + 1))
	name=$(printf '%04d-%s' "$i" "$(basename "$p" | sed 's/^[0-9]*-//')")
	cp "$PATCHES/$p" "$pd/bisect/$name"
	echo "$name" >> "$pd/bisect/series"
	echo "$name $p" >> "$work/names"
done
prefix_variant() {
	k=$1
	c=$((ng + k))
	{
		echo "description=bisection of $target: $good + $k of its $n patches"
		[ -z "$vbase" ] || echo "base=$vbase"
		if [ "$c" = 0 ]; then echo "series="; else echo "series=bisect:$c"; fi
		echo "configs=$vconfigs"
		[ -z "$vcmdline" ] || echo "cmdline=$vcmdline"
		echo "localversion=-tlbbench-bisect"
		echo "bench=no"
	} > "$pd/variants/bisect-$k.variant"
}

# The plan: the one stanza.
plan=$work/bisect.plan
{
	echo "reps=2"
	echo "warmup=1"
	echo
	echo "workload=$workload"
	for o in $options; do echo "$o"; done
} > "$plan"
"$tlbbench" plan "$plan" --dry-run > /dev/null || die "the stanza is not a valid plan (above): $plan"

# value K: build prefix K, boot it, and print M's mean over the measured
# repetitions (cached per K).
value() {
	k=$1
	if [ ! -s "$work/value-$k" ]; then
		prefix_variant "$k"
		say "kernel $k of $n: building ($good + $k patches)"
		BUILD=$BUILD PATCHES=$pd "$here/kernel/kbuild.sh" "bisect-$k" > "$work/build-$k.log" 2>&1 ||
			{ tail -n 20 "$work/build-$k.log" >&2; die "building prefix $k failed (log: $work/build-$k.log)"; }
		say "kernel $k of $n: booting the stanza deterministically"
		rm -rf "$work/run-$k"
		"$here/bench-tcg.sh" "$tlbbench" "$plugin" "$plan" "$work/run-$k" "bisect-$k" > "$work/run-$k.log" 2>&1 ||
			{ tail -n 20 "$work/run-$k.log" >&2; die "the run of prefix $k failed (log: $work/run-$k.log)"; }
		python3 - "$work/run-$k/bisect-$k/samples.jsonl" "$metric" > "$work/value-$k" <<'PY' ||
import json, sys
path, metric = sys.argv[1], sys.argv[2]
name, _, part = metric.partition(":")
vals = []
for line in open(path):
    r = json.loads(line)
    if r.get("type") != "sample" or r.get("phase") != "measure":
        continue
    if name == "time":
        vals.append(r["elapsed_ns"] / r["ops"])
        continue
    c = r["counters"].get(name)
    if c is None or not isinstance(c.get(part or "total"), int):
        sys.exit("bisect: %s: no count of %s in the samples" % (path, metric))
    vals.append(c[part or "total"])
if not vals:
    sys.exit("bisect: %s: no measured sample" % path)
print(repr(sum(vals) / len(vals)))
PY
			die "reading $metric from prefix $k"
	fi
	cat "$work/value-$k"
}

rm -f "$work"/value-*
say "$n patches between $good and $target; $workload $options; metric $metric"
v0=$(value 0)
vn=$(value "$n")
say "$good: $metric = $v0; $target: $metric = $vn"
[ "$v0" != "$vn" ] || die "$metric is $v0 on both $good and $target: it does not move, nothing to bisect"
lo=0 hi=$n
while [ $((hi - lo)) -gt 1 ]; do
	mid=$(((lo + hi) / 2))
	vm=$(value "$mid")
	if [ "$vm" = "$v0" ]; then
		say "after $mid patches: $metric = $vm, as on $good"
		lo=$mid
	else
		say "after $mid patches: $metric = $vm, moved"
		hi=$mid
	fi
done
orig=$(sed -n "${hi}p" "$work/names" | cut -d' ' -f2)
subject=$(sed -n 's/^Subject: //p' "$PATCHES/$orig" | head -n 1 | sed 's/^\[PATCH[^]]*\] *//')
vh=$(value "$hi")
built=$(ls "$work"/value-* | wc -l)
line="first patch that moves $metric of $workload $options: $orig (\"$subject\"): $v0 -> $vh after $built deterministic kernels"
say "$line"
printf '%s\n' "$line" > "$work/result.txt"
if [ -n "$report" ]; then
	[ -w "$report/report.txt" ] || die "no report $report/report.txt to add the result to"
	printf '\nBisection (make bisect VARIANT=%s): %s\n' "$target" "$line" >> "$report/report.txt"
	if [ -w "$report/report.html" ]; then
		esc=$(printf '%s' "$line" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
		sed -i "s|</body>|<h2>Bisection</h2><p>make bisect VARIANT=$target: $esc</p>\n</body>|" "$report/report.html"
	fi
	say "added to $report/report.txt and report.html"
fi
