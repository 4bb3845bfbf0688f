#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-report: the report pipeline around tlbbench compare.
#  - make report's script writes the four forms and the figures from the
#    synthetic fixtures, comparing them once, and exits 1 for their
#    regression; its verdict lines are report.json's;
#  - two profiled native runs (tlbbench run --profile) reach the compare
#    JSON, and profile-diff.py puts their kernel symbols side by side into
#    the text and HTML report (SKIP where perf cannot record);
#  - make sweep refuses a bad knob and a value the plan cannot take,
#    before any boot;
#  - compare --noise puts an A/A comparison's spread in the footer of
#    every form, judged against the floor, and refuses what is not one.
# Counts go to $BUILD/test-results/report.
#
# Usage: run.sh TLBBENCH
set -u
tlbbench=$1
tlbbench_abs=$(realpath "$tlbbench")
build=${BUILD:-build}
out=$build/test-report
python=${PYTHON:-/usr/bin/python3}
fixtures=tests/unit/fixtures/compare
pass=0 fail=0 skip=0
rm -rf "$out"
mkdir -p "$out" "$build/test-results"

ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() { fail=$((fail + 1)); echo "not ok - $1"; }
skipped() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }

# 1. the four forms, figures, verdict and exit status; the results are
#    compared once (a wrapper logs every tlbbench command) and every form
#    is rendered from that one report.json
rc=0
wrap=$out/tlbbench-logged
printf '#!/bin/sh\necho "$*" >> %s/calls.log\nexec %s "$@"\n' "$out" "$(realpath "$tlbbench")" > "$wrap"
chmod +x "$wrap"
harness/report.sh "$wrap" "$out/fixtures" "$fixtures/base" "$fixtures/new" > "$out/report.log" 2>&1 || rc=$?
"$tlbbench" compare --format=json "$fixtures/base" "$fixtures/new" > "$out/direct.json" || true
if [ "$rc" = 1 ] && [ -s "$out/fixtures/report.txt" ] && [ -s "$out/fixtures/report.md" ] &&
	[ -s "$out/fixtures/report.json" ] && [ -s "$out/fixtures/report.html" ] &&
	grep -q '^report: verdict: significant regression beyond the threshold (5.00%)$' "$out/report.log" &&
	grep -q '^report: 3 significant changes, 1 regression$' "$out/report.log" &&
	grep -q 'src="figures/g01-fault.svg"' "$out/fixtures/report.html" &&
	grep -q 'src="figures/g01-fault-tlb.svg" alt="g01-fault-tlb" class="wide"' "$out/fixtures/report.html" &&
	grep -q 'img.wide{max-width:100%;display:block}' "$out/fixtures/report.html"; then
	ok "report: four forms, figures linked relative to the report (the TLB row full width), exit 1 on the regression"
else
	notok "report: exit $rc (want 1), see $out/report.log"
fi
if [ "$(grep -c '^compare ' "$out/calls.log")" = 2 ] &&
	[ "$(grep '^compare ' "$out/calls.log" | grep -vc -- '--from=')" = 1 ] &&
	cmp -s "$out/direct.json" "$out/fixtures/report.json"; then
	ok "report: one comparison, the forms rendered from its report.json"
else
	notok "report: compare calls $(tr '\n' ';' < "$out/calls.log"), or report.json not compare's"
fi

# 2. profiles side by side
prof=$out/prof
mkdir -p "$prof/a" "$prof/b"
rc=0
for side in a b; do
	(cd "$prof/$side" && "$tlbbench_abs" run fault --bytes=4M --reps=3 --profile \
		--out=samples.jsonl) > "$prof/$side.log" 2>&1 || rc=$?
done
if [ "$rc" = 4 ]; then
	skipped "profile: kernel symbols side by side" "$(tail -n 1 "$prof/a.log")"
elif [ "$rc" != 0 ]; then
	notok "profile: tlbbench run --profile exited $rc (see $prof/a.log)"
else
	"$tlbbench" compare --format=json "$prof/a" "$prof/b" > "$prof/report.json"
	"$python" harness/report/profile-diff.py --all "$prof/report.json" "$prof/fig" > "$prof/diff.log" 2>&1
	"$tlbbench" compare --figures="$prof/fig" "$prof/a" "$prof/b" > "$prof/report.txt"
	"$tlbbench" compare --format=html --figures="$prof/fig" "$prof/a" "$prof/b" > "$prof/report.html"
	if "$python" -c 'import json,sys; g=json.load(open(sys.argv[1]))["groups"][0]; sys.exit(not all(g["profiles"]))' "$prof/report.json" &&
		grep -q '^profile: top kernel symbols' "$prof/report.txt" &&
		grep -Eq '^ [a-z_][a-z0-9_.]* +[0-9.]+% +[0-9.]+% +[-+][0-9.]+$' "$prof/report.txt" &&
		grep -q '<pre>profile: top kernel symbols' "$prof/report.html"; then
		ok "profile: both profiles reach the report, kernel symbols side by side"
	else
		notok "profile: no side-by-side kernel symbols (see $prof/report.txt, $prof/diff.log)"
	fi
	# no profiles, nothing written; a damaged report is refused
	"$python" harness/report/profile-diff.py "$out/fixtures/report.json" "$prof/none" > /dev/null 2>&1
	echo '{"tlbbench_compare": 9}' > "$prof/bad.json"
	if [ ! -e "$prof/none" ] && ! "$python" harness/report/profile-diff.py "$prof/bad.json" "$prof/x" 2> "$prof/bad.log" &&
		grep -q 'not a tlbbench compare report' "$prof/bad.log"; then
		ok "profile: groups without profiles pass over, a bad report is refused"
	else
		notok "profile: unprofiled or bad input mishandled"
	fi
fi

# 3. sweep checks its arguments and plans before booting
rc=0
harness/sweep.sh "$tlbbench" none plans/sweep.plan "$out/sweep1" baseline 'a b' x > "$out/sweep1.log" 2>&1 || rc=$?
rc2=0
harness/sweep.sh "$tlbbench" none plans/sweep.plan "$out/sweep2" baseline backing anon-4k anon-thp-pte \
	> "$out/sweep2.log" 2>&1 || rc2=$?
if [ "$rc" = 2 ] && [ "$rc2" = 2 ] && grep -q 'neither a /sys/kernel/mm path nor an option' "$out/sweep1.log" &&
	grep -q 'stage plan: backing=anon-thp-pte' "$out/sweep2.log" && [ ! -e "$out/sweep2/boot" ]; then
	ok "sweep: a bad knob and a value the plan cannot take stop before the boot"
else
	notok "sweep: exits $rc and $rc2 (want 2 and 2), see $out/sweep1.log $out/sweep2.log"
fi

# 4. layout noise in the footer: the fixtures' own comparison as the A/A
#    pair (4 of 15 counts move, the largest by 0.285 events per operation)
noise=$out/noise
mkdir -p "$noise"
"$tlbbench" compare --format=json "$fixtures/base" "$fixtures/new" > "$noise/aa.json" || true
"$tlbbench" compare --noise="$noise/aa.json" --out="$noise/r" "$fixtures/base" "$fixtures/new" \
	> /dev/null 2>&1 || true
"$tlbbench" compare --noise="$noise/aa.json" --floor=1 "$fixtures/base" "$fixtures/new" \
	> "$noise/floor1.txt" 2>&1 || true
"$tlbbench" compare --from="$noise/r/report.json" > "$noise/again.txt" 2>&1 || true
"$tlbbench" compare "$fixtures/base" "$fixtures/new" > "$noise/none.txt" 2>&1 || true
rc=0
"$tlbbench" compare --noise="$fixtures/base/samples.jsonl" "$fixtures/base" "$fixtures/new" \
	> /dev/null 2> "$noise/bad.err" || rc=$?
flat() { tr '\n' ' ' < "$1" | tr -s ' '; }
want='4 of 15 counts differ exactly, the largest by 0.285 events per operation'
if flat "$noise/r/report.txt" | grep -q "$want.*floor of 0.01 is BELOW it" &&
	flat "$noise/r/report.md" | grep -q "$want" && flat "$noise/r/report.html" | grep -q "$want" &&
	flat "$noise/floor1.txt" | grep -q "$want.*floor of 1 sets it aside" &&
	flat "$noise/again.txt" | grep -q "$want.*BELOW it" &&
	flat "$noise/none.txt" | grep -q 'Layout noise: not measured' &&
	[ "$rc" = 3 ] && grep -q -- '--noise: .*samples.jsonl' "$noise/bad.err"; then
	ok "noise: the A/A spread in every form's footer, judged against the floor; a bad file refused"
else
	notok "noise: footer or refusal wrong (exit $rc, see $noise)"
fi

# 5. ratios.py: one comparison as contpte's ratios (the fixtures' tlb_reach
#    refills 1.43x fewer on the new side); a report of three sides refused
"$python" harness/report/ratios.py "$noise/aa.json" > "$noise/ratios.txt" 2>&1 || true
"$tlbbench" compare --format=json "$fixtures/base" "$fixtures/new" "$fixtures/new" \
	> "$noise/three.json" 2>/dev/null || true
rc=0
"$python" harness/report/ratios.py "$noise/three.json" > "$noise/ratios3.txt" 2>&1 || rc=$?
if grep -Eq '^  l1d_tlb_refill +off/on +1\.43x +\(190044 -> 133044\)$' "$noise/ratios.txt" &&
	grep -Eq '^  time +on/off +1\.10x' "$noise/ratios.txt" &&
	[ "$rc" != 0 ] && grep -q 'compare two sides' "$noise/ratios3.txt"; then
	ok "ratios: refills off/on of tlb_reach, costs on/off; three sides refused"
else
	notok "ratios: wrong table or no refusal (see $noise/ratios.txt, $noise/ratios3.txt)"
fi

echo "report: $pass passed, $fail failed, $skip skipped"
echo "$pass $fail $skip" > "$build/test-results/report"
[ "$fail" = 0 ]
