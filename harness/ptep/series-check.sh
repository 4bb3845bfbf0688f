#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fast check of the ptep_deref() series (make test-ptep-series):
#  1. every patch applies in order with git am on the pinned base;
#  2. scripts/checkpatch.pl --strict reports no errors for any patch;
#  3. after each patch, the objects of every .c file the series touches
#     that the config builds are compiled for arm64 (GCC) in one
#     incremental build directory, so each prefix compiles;
#  4. the objects after each patch from the second on are compared with
#     those after the previous patch by objcmp: the series claims that
#     only patch 1 (vmalloc) changes generated code, and patch 1 must
#     change mm/vmalloc.o (a control that the comparison can fail).
# Each step is one test; the counts go to $BUILD/test-results/SUITE.
#
# Usage: series-check.sh SUITE CONFIG-FRAGMENT...
set -eu
suite=${1:?usage: series-check.sh SUITE FRAGMENT...}
shift
. harness/ptep/lib.sh

pass=0 fail=0 skip=0
ok() { say "PASS $*"; pass=$((pass + 1)); }
ko() { say "FAIL $*"; fail=$((fail + 1)); }

objcmp=$TOP/$BUILD/ptep/objcmp
[ -x "$objcmp" ] || die "$objcmp is not built"
work=$TOP/$BUILD/ptep-work/t/$suite
frag=$work/fragment.config
mkdir -p "$work"
cat "$@" > "$frag"

npatch=$(series_list | wc -l)
[ "$npatch" -gt 0 ] || die "empty series"
tree_at "$suite" 0
src=$tree obj=$work/obj
kconfig "$src" "$obj" "$frag" $ARM64_GCC

# 1 + 2: the whole series applies on the base, and checkpatch has no errors.
tree_at "$suite-all" "$npatch" && ok "git am of $npatch patches on the pinned base"
for p in $(series_list); do
	out=$("$tree/scripts/checkpatch.pl" --strict "$SERIES_DIR/$p" 2>&1 |
		grep '^total:') || true
	case "$out" in
	"total: 0 errors"*) ok "checkpatch --strict $p: ${out#total: }" ;;
	*) ko "checkpatch --strict $p: $out" ;;
	esac
done

built=$(config_objects "$tree" "$src" "$obj" $ARM64_GCC)
[ -n "$built" ] || die "the config builds none of the touched objects"
skip=$(cat "$obj/.ptep-skipped" | wc -l)

# 3 + 4: apply one patch at a time, rebuild, snapshot, compare.
snap() { for o in $built; do mkdir -p "$work/snap/$1/$(dirname "$o")"; cp "$obj/$o" "$work/snap/$1/$o"; done; }
rm -rf "$work/snap"
snap 0
k=0
for p in $(series_list); do
	k=$((k + 1))
	gitq -C "$src" am -q "$SERIES_DIR/$p" || { ko "git am $p"; break; }
	if kmake "$src" "$obj" $ARM64_GCC $built > "$work/build-$k.log" 2>&1; then
		ok "prefix $k ($p) compiles $(echo $built | wc -w) objects"
	else
		ko "prefix $k ($p) does not compile (see $work/build-$k.log)"
		break
	fi
	snap "$k"
	echo "$built" | tr ' ' '\n' | sed '/^$/d' > "$work/objects"
	"$objcmp" "$work/snap/$((k - 1))" "$work/snap/$k" < "$work/objects" > "$work/objcmp-$k.txt" && same=1 || same=0
	if [ "$k" = 1 ]; then
		# patch 1 changes vmap_pfn_apply(); only vmalloc.o may differ, if built
		others=$(grep -v -e '^identical' -e ' mm/vmalloc.o$' -e '^objcmp:' "$work/objcmp-$k.txt" || true)
		if [ -n "$others" ]; then
			ko "patch 1 changed more than mm/vmalloc.o: $others"
		elif grep -q '^different mm/vmalloc.o$' "$work/objcmp-$k.txt"; then
			echo mm/vmalloc.o > "$work/vmalloc"
			how=$("$objcmp" -m "$work/snap/0" "$work/snap/1" < "$work/vmalloc" | head -n 1) || true
			case "$how" in
			masked*) how="only __bug_table lines: vmap_pfn_apply() is not built" ;;
			*) how="beyond __bug_table lines" ;;
			esac
			ok "patch 1 changes mm/vmalloc.o ($how) and nothing else (control)"
		elif grep -q '^identical mm/vmalloc.o$' "$work/objcmp-$k.txt" &&
			! grep -q '^CONFIG_VMAP_PFN=y' "$obj/.config"; then
			ok "patch 1 changes no object (CONFIG_VMAP_PFN is off)"
		else
			ko "patch 1: unexpected comparison result"
		fi
	elif [ "$same" = 1 ]; then
		ok "prefix $k identical to prefix $((k - 1)): $(tail -n 1 "$work/objcmp-$k.txt")"
	else
		ko "prefix $k differs from prefix $((k - 1)): $(grep -v '^identical' "$work/objcmp-$k.txt" | tr '\n' ' ')"
	fi
done

result "$suite" "$pass" "$fail" "$skip"
[ "$fail" = 0 ]
