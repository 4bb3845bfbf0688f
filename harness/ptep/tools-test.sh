#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-ptep-tools: the deciding C tools of harness/ptep/ on small
# synthetic inputs, so a broken tool cannot turn a failing proof into a
# pass.  objcmp: identical, different, missing, and a difference only in
# the line field of __bug_table (different without -m, masked with -m,
# different with -m when another byte differs too).  noderef-filter:
# clean log, accepted exception, new dereference, arch/ ignored, dedup.
# The ptep_deref() default of the series: an assignment through it and a
# pmd_t * argument fail to compile, a read evaluates its argument once.
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

# The ptep_deref() default that ships, taken out of the patch that adds it
# (the lines from "#ifndef ptep_deref" to its "#endif"): a read of a
# pte_t pointer compiles and evaluates its argument once; an assignment
# through it and a pmd_t * argument must not compile (the kernel builds
# with -Werror=incompatible-pointer-types).
add=$(grep -l '^+#define ptep_deref(ptep)' "$SERIES_DIR"/0*.patch | head -n 1)
if [ -z "$add" ]; then
	say "FAIL no patch of $SERIES_DIR defines ptep_deref()"
	fail=$((fail + 1))
else
	{
		printf '%s\n' '#include <stddef.h>' \
			'typedef struct { unsigned long pte; } pte_t;' \
			'typedef struct { unsigned long pmd; } pmd_t;'
		sed -n '/^+#ifndef ptep_deref$/,/^+#endif$/s/^+//p' "$add"
	} > "$t/deref.h"
	grep -q '^#define ptep_deref' "$t/deref.h" || say "FAIL: no macro in $add"
	cat > "$t/deref.c" <<'C'
#include "deref.h"
int main(void)
{
	pte_t t[2] = { { 5 }, { 7 } }, v = { 9 };
	const pte_t *c = t;
	pte_t *p = t;
	pmd_t m = { 1 }, *q = &m;
	unsigned long r;

	(void)v; (void)q;
#if defined(MISUSE_ASSIGN)
	ptep_deref(p) = v;
#elif defined(MISUSE_PMD)
	r = ptep_deref(q).pte;
#endif
	r = ptep_deref(p++).pte;		/* 5, p advances once */
	r += ptep_deref(c).pte * 10;		/* a const pte_t * is fine */
	return !(r == 55 && p == t + 1);
}
C
	dcc() { cc -std=gnu11 -Wall -Werror=incompatible-pointer-types -o "$t/deref" "$t/deref.c" "$@"; }
	expect "ptep_deref() reads once" 0 sh -c "cd '$t' && cc -std=gnu11 -Wall -Werror -o deref deref.c && ./deref"
	expect "ptep_deref(p) = v does not compile" 1 dcc -DMISUSE_ASSIGN
	has 'lvalue required as left operand of assignment'
	expect "ptep_deref(pmd_t *) does not compile" 1 dcc -DMISUSE_PMD
	has "incompatible pointer type"
	say "ptep_deref() default from $(basename "$add"):$(sed -n '/^#define ptep_deref/,/[^\\]$/p' "$t/deref.h" | tr '\n\t\\' '   ' | tr -s ' ')"
fi

result "$suite" "$pass" "$fail" 0
[ "$fail" = 0 ]
