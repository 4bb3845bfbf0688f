# SPDX-License-Identifier: GPL-2.0
#
# Compare the options config fragments set with the final .config.
# Usage: awk -f configcheck.awk FRAGMENT... DOTCONFIG
# A fragment line "CONFIG_X=v" or "# CONFIG_X is not set" (later fragments
# win) must be matched in DOTCONFIG, where an absent option counts as "n".
function parse(line) {
	if (line ~ /^CONFIG_[A-Za-z0-9_]+=/) {
		name = substr(line, 1, index(line, "=") - 1)
		val = substr(line, index(line, "=") + 1)
		return 1
	}
	if (line ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) {
		split(line, w, " ")
		name = w[2]
		val = "n"
		return 1
	}
	return 0
}
FILENAME != ARGV[ARGC - 1] {
	if (parse($0)) {
		want[name] = val
		where[name] = FILENAME ":" FNR
	} else if ($0 !~ /^[ \t]*(#|$)/) {
		printf "%s:%d: not a config line: %s\n", FILENAME, FNR, $0 > "/dev/stderr"
		bad = 1
	}
	next
}
parse($0) { have[name] = val }
END {
	for (name in want) {
		got = (name in have) ? have[name] : "n"
		if (got != want[name]) {
			printf "%s: %s=%s was dropped (final config has %s=%s)\n",
				where[name], name, want[name], name, got > "/dev/stderr"
			bad = 1
		}
	}
	exit bad
}
