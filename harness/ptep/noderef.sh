#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Completeness check of the ptep_deref() conversion (make test-ptep-noderef,
# make ptep-noderef-full).  On a worktree with the whole series applied, a
# check-only change (never part of the series) makes pte_t
#     __pte_nd_t __attribute__((noderef))
# on arm64, x86_64 and i386, so that clang's -Wnoderef reports
# every remaining dereference of a pte_t pointer; the generic ptep_deref()
# is the macro the series ships, whose own dereference is accepted (as
# expanded from macro ptep_deref, noderef-exceptions.txt).  noderef-filter then
# fails on any such warning outside arch/ that noderef-exceptions.txt does
# not list.  Builds:
#   arm64  allnoconfig + bench.config + coverage.config
#   x86_64 allnoconfig + x86.config  (hugetlb_vmemmap, soft-dirty, uffd-wp, i915)
#   i386   allnoconfig + i386.config (HIGHMEM, HIGHPTE)
# "fast" compiles the objects of the files the series touches; "full"
# compiles whole directories on arm64 as well.  Last, a raw "*ptep" read
# is put back into mm/mincore.c and the check must fail on exactly it.
#
# Usage: noderef.sh SUITE fast|full
set -eu
suite=${1:?usage: noderef.sh SUITE fast|full}
mode=${2:?usage: noderef.sh SUITE fast|full}
. harness/ptep/lib.sh

filter=$TOP/$BUILD/ptep/noderef-filter
exceptions=$TOP/harness/ptep/noderef-exceptions.txt
[ -x "$filter" ] || die "$filter is not built"
work=$TOP/$BUILD/ptep-work/t/$suite
mkdir -p "$work"
pass=0 fail=0 skip=0
ok() { say "PASS $*"; pass=$((pass + 1)); }
ko() { say "FAIL $*"; fail=$((fail + 1)); }

tree_at "$suite" "$(series_list | wc -l)"
src=$tree

# replace_file FILE: install FILE.new over FILE only if it differs, so that
# kbuild does not rebuild everything on every run.
replace_file() {
	if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv "$1.new" "$1"; fi
}

# noderef_type FILE: the typedef ending in "} pte_t;" gets the check name.
noderef_type() {
	f=$src/$1
	git -C "$src" show "HEAD:$1" | awk '
		!done && /} pte_t;$/ {
			sub(/} pte_t;$/, "} __pte_nd_t;")
			print
			print "/* check-only: -Wnoderef flags every pte_t dereference */"
			print "#define pte_t __pte_nd_t __attribute__((noderef))"
			done = 1
			next
		}
		{ print }
		END { if (!done) exit 1 }' > "$f.new" || die "$1: no pte_t typedef"
	replace_file "$f"
}

check_only() {
	# The ptep_deref() default is checked as it ships: its own read of
	# *(ptep) is accepted through the "macro ptep_deref" exception; only
	# its presence is checked here.
	f=$src/include/linux/pgtable.h
	git -C "$src" show HEAD:include/linux/pgtable.h > "$f.new"
	grep -q '^#define ptep_deref(ptep)' "$f.new" || die "pgtable.h: no ptep_deref() default"
	replace_file "$f"
	noderef_type arch/arm64/include/asm/pgtable-types.h
	noderef_type arch/x86/include/asm/pgtable_64_types.h
	noderef_type arch/x86/include/asm/pgtable-2level_types.h
}
check_only

# never an error: a -Werror directory (i915) would stop at its first one
CHECK_FLAGS="-Wno-ignored-attributes -Wno-error=noderef"

# check ARCH-NAME FRAGMENTS MAKEARGS: configure, build, filter; one test.
check() {
	name=$1 frags=$2
	shift 2
	obj=$work/obj-$name
	cat $frags > "$work/$name.config"
	kconfig "$src" "$obj" "$work/$name.config" LLVM=1 "$@"
	objs=$(config_objects "$src" "$src" "$obj" LLVM=1 KCFLAGS="$CHECK_FLAGS" "$@")
	cp "$obj/.ptep-probe.log" "$work/$name.log"
	if [ "$mode" = full ] && [ "$name" = arm64 ]; then
		dirs="mm/ fs/ kernel/events/ arch/arm64/kvm/ drivers/vfio/ drivers/xen/ drivers/hv/ lib/"
		find "$obj/mm" "$obj/fs" "$obj/kernel/events" "$obj/arch/arm64/kvm" \
			"$obj/drivers/vfio" "$obj/drivers/xen" "$obj/drivers/hv" "$obj/lib" \
			-name '*.o' -delete 2>/dev/null || true
		# shellcheck disable=SC2086
		kmake "$src" "$obj" LLVM=1 KCFLAGS="$CHECK_FLAGS" "$@" --output-sync=target $dirs \
			>> "$work/$name.log" 2>&1 || { ko "$name: full build failed ($work/$name.log)"; return 0; }
	fi
	say "$name: $(echo $objs | wc -w) touched objects built, skipped: $(tr '\n' ' ' < "$obj/.ptep-skipped")"
	if "$filter" "$src" "$exceptions" < "$work/$name.log" > "$work/$name.txt"; then
		ok "$name: $(tail -n 1 "$work/$name.txt")"
	else
		ko "$name: $(tail -n 1 "$work/$name.txt")"
		grep '^NEW' "$work/$name.txt" >&2 || true
	fi
	grep '^accepted' "$work/$name.txt" | sed 's/^/ptep:   /' || true
}

check arm64 "kernel-patches/configs/bench.config harness/ptep/coverage.config" ARCH=arm64
check x86_64 harness/ptep/x86.config ARCH=x86_64
check i386 harness/ptep/i386.config ARCH=i386

# The check must catch a raw read: mm/mincore.c, arm64.
m=$src/mm/mincore.c
sed 's/pte_t pte = ptep_deref(ptep);/pte_t pte = *ptep;/' "$m" > "$m.new"
if cmp -s "$m" "$m.new"; then
	rm -f "$m.new"
	ko "negative test: mm/mincore.c no longer has the line to break"
else
	cp "$m" "$work/mincore.c.orig"
	mv "$m.new" "$m"
	rm -f "$work/obj-arm64/mm/mincore.o"
	kmake "$src" "$work/obj-arm64" LLVM=1 KCFLAGS="$CHECK_FLAGS" ARCH=arm64 \
		mm/mincore.o > "$work/negative.log" 2>&1 || true
	# filter while the broken line is still there: it quotes the source
	"$filter" "$src" "$exceptions" < "$work/negative.log" > "$work/negative.txt" && caught=0 || caught=1
	cp "$work/mincore.c.orig" "$m"
	rm -f "$work/obj-arm64/mm/mincore.o"
	if [ "$caught" = 0 ]; then
		ko "negative test: a raw *ptep in mm/mincore.c went unnoticed"
	elif [ "$(grep -c '^NEW' "$work/negative.txt")" = 1 ] &&
		grep -q '^NEW *mm/mincore.c:.*pte_t pte = \*ptep;' "$work/negative.txt"; then
		ok "negative test: $(grep '^NEW' "$work/negative.txt")"
	else
		ko "negative test: unexpected findings: $(grep '^NEW' "$work/negative.txt" | tr '\n' ' ')"
	fi
fi

result "$suite" "$pass" "$fail" "$skip"
[ "$fail" = 0 ]
