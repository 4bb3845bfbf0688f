# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The test-result helper every shell suite uses: one line per test as it
# ends ("ok - NAME", "not ok - NAME: WHY", "ok - NAME # SKIP WHY") and, at
# the end, "PASSED FAILED SKIPPED" in $BUILD/test-results/SUITE for the
# closing line of make test (tests/summary).  Only what ran is counted.
#
#   . tests/lib/result.sh
#   t_begin SUITE
#   t_pass NAME; t_fail NAME WHY; t_skip NAME WHY
#   t_end            # writes the counts; exit 1 if a test failed or none ran

t_begin() {
	t_suite=$1
	t_pass=0 t_fail=0 t_skip=0
	t_dir=${BUILD:-build}/test-results
	mkdir -p "$t_dir"
	# a suite that dies before t_end must not leave an old pass behind
	rm -f "$t_dir/$t_suite"
}
t_pass() { t_pass=$((t_pass + 1)); echo "ok - $1"; }
t_fail() { t_fail=$((t_fail + 1)); echo "not ok - $1: $2"; }
t_skip() { t_skip=$((t_skip + 1)); echo "ok - $1 # SKIP $2"; }
t_end() {
	echo "$t_pass $t_fail $t_skip" > "$t_dir/$t_suite"
	echo "$t_suite: $t_pass passed, $t_fail failed, $t_skip skipped"
	if [ $((t_pass + t_fail + t_skip)) = 0 ]; then
		echo "$t_suite: no test ran" >&2
		return 1
	fi
	[ "$t_fail" = 0 ]
}
