#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-ptep-tools: the deciding C tools of harness/ptep/ on small
# synthetic inputs, so a broken tool cannot turn a failing proof into a
# pass.  objcmp: identical, different, missing, and a difference only in
# the line field of __bug_table (different without -m, masked with -m,
# different with -m when another byte differs too).  noderef-filter:
# clean log, accepted exception, new dereference, arch/ ignored, dedup.
#
# Usage: tools-test.sh SUITE
set -eu
suite=${1:?usage: tools-test.sh SUITE}
. harness/ptep/lib.sh
bin=$TOP/$BUILD/ptep
t=$TOP/$BUILD/ptep-work/t/$suite
rm -rf "$t" && mkdir -p "$t/a" "$t/b" "$t/src/mm" "$t/src/arch/x"
pass=0 fail=0
expect() { # expect NAME WANT-STATUS CMD...
	name=$1 want=$2
	shift 2
	if "$@" > "$t/out" 2>&1; then got=0; else got=$?; fi
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		say "FAIL $name: exit $got, wanted $want: $(tr '\n' ' ' < "$t/out")"
		fail=$((fail + 1))
	fi
}
has() {
	if grep -q "$1" "$t/out"; then
		pass=$((pass + 1))
	else
		say "FAIL output lacks '$1'"
		fail=$((fail + 1))
	fi
}

# An ELF object with a __bug_table: two WARN_ON()s at lines 10 and 20.
cat > "$t/bug.c" <<'C'
struct bug_entry { int addr; int file; unsigned short line; unsigned short flags; };
__attribute__((section("__bug_table"), used))
static struct bug_entry tbl[2] = { { 1, 2, LINE_A, 3 }, { 4, 5, LINE_B, 6 } };
int f(int x) { return x * K; }
C
cc1() { aarch64-linux-gnu-gcc -c -O2 -o "$1" "$t/bug.c" -DLINE_A="$2" -DLINE_B="$3" -DK="$4"; }
cc1 "$t/a/same.o" 10 20 3; cc1 "$t/b/same.o" 10 20 3
cc1 "$t/a/line.o" 10 20 3; cc1 "$t/b/line.o" 11 21 3
cc1 "$t/a/code.o" 10 20 3; cc1 "$t/b/code.o" 11 21 5
cp "$t/a/same.o" "$t/a/gone.o"

echo same.o > "$t/list"; expect "objcmp identical" 0 "$bin/objcmp" "$t/a" "$t/b" < "$t/list"; has '^identical *same.o'
echo line.o > "$t/list"; expect "objcmp line differs" 1 "$bin/objcmp" "$t/a" "$t/b" < "$t/list"; has '^different line.o'
echo line.o > "$t/list"; expect "objcmp -m masks lines" 0 "$bin/objcmp" -m "$t/a" "$t/b" < "$t/list"; has '^masked *line.o'
echo code.o > "$t/list"; expect "objcmp -m keeps code" 1 "$bin/objcmp" -m "$t/a" "$t/b" < "$t/list"; has '^different code.o'
echo gone.o > "$t/list"; expect "objcmp missing" 1 "$bin/objcmp" "$t/a" "$t/b" < "$t/list"; has '^missing *gone.o'
expect "objcmp empty list" 1 "$bin/objcmp" "$t/a" "$t/b" < /dev/null

printf '%s\n' 'int a(pte_t *ptep) { return ok(*ptep); }' 'int b = READ_ONCE(*ptep);' > "$t/src/mm/x.c"
printf '%s\n' 'x' > "$t/src/arch/x/y.h"
printf 'mm/x.c\tderef\tREAD_ONCE(*ptep)\ttest reason\n' > "$t/exc"
w="warning: dereferencing ptep; was declared with a 'noderef' type [-Wnoderef]"
printf '%s\n' "$t/src/mm/x.c:2:19: $w" "$t/src/mm/x.c:2:19: $w" "$t/src/arch/x/y.h:1:1: $w" > "$t/ok.log"
printf '%s\n' "$t/src/mm/x.c:1:34: $w" > "$t/bad.log"
e="error: dereferencing ptep; was declared with a 'noderef' type [-Werror,-Wnoderef]"
printf '%s\n' "$t/src/mm/x.c:1:34: $e" > "$t/err.log"
expect "filter -Werror finding" 1 "$bin/noderef-filter" "$t/src" "$t/exc" < "$t/err.log"
has '^NEW *mm/x.c:1:34 deref'
expect "filter clean log" 0 "$bin/noderef-filter" "$t/src" "$t/exc" < /dev/null
expect "filter exception" 0 "$bin/noderef-filter" "$t/src" "$t/exc" < "$t/ok.log"
has 'noderef: 0 new, 1 accepted'
cat "$t/ok.log" "$t/bad.log" > "$t/both.log"
expect "filter new deref" 1 "$bin/noderef-filter" "$t/src" "$t/exc" < "$t/both.log"
has '^NEW *mm/x.c:1:34 deref: int a'

# a cast expanded from an accepted macro is accepted, the same cast alone is not
c="warning: casting to dereferenceable pointer removes 'noderef' attribute [-Wnoderef]"
printf '*\tmacro\tpte_unmap\ttest reason\n' >> "$t/exc"
printf '%s\n' "$t/src/mm/x.c:1:5: $c" "  x" "$t/src/include/y.h:9:1: note: expanded from macro 'pte_unmap'" > "$t/macro.log"
expect "filter macro exception" 0 "$bin/noderef-filter" "$t/src" "$t/exc" < "$t/macro.log"
printf '%s\n' "$t/src/mm/x.c:1:5: $c" > "$t/cast.log"
expect "filter bare cast" 1 "$bin/noderef-filter" "$t/src" "$t/exc" < "$t/cast.log"
has '^NEW *mm/x.c:1:5 cast'

result "$suite" "$pass" "$fail" 0
[ "$fail" = 0 ]
