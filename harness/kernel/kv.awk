# SPDX-License-Identifier: GPL-2.0
#
# Strict reader for tlbbench key=value data files (base.pin, *.variant).
# Lines are "key=value", "# comment" or blank; a key is [a-z][a-z0-9_]*.
# An unknown, duplicate or missing key, or any other line, is an error that
# names the file and line.  Output, one line per key: key TAB line TAB value.
#
# Usage: awk -v keys="a b c" -v required="a b" -f kv.awk FILE
BEGIN {
	nk = split(keys, k, " ")
	for (i = 1; i <= nk; i++)
		allowed[k[i]] = 1
	bad = 0
}
function err(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
}
/^[ \t]*(#|$)/ { next }
{
	eq = index($0, "=")
	key = substr($0, 1, eq - 1)
	if (eq == 0 || key !~ /^[a-z][a-z0-9_]*$/) {
		err("expected key=value, got '" $0 "'")
		next
	}
	if (!(key in allowed)) {
		err("unknown key '" key "' (allowed: " keys ")")
		next
	}
	if (key in seen) {
		err("duplicate key '" key "' (first on line " seen[key] ")")
		next
	}
	seen[key] = FNR
	printf "%s\t%d\t%s\n", key, FNR, substr($0, eq + 1)
}
END {
	nr = split(required, r, " ")
	for (i = 1; i <= nr; i++)
		if (!(r[i] in seen)) {
			printf "%s: missing key '%s'\n", FILENAME, r[i] > "/dev/stderr"
			bad = 1
		}
	exit bad
}
