#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fast object check of the ptep_deref() series (make test-ptep-series).
# That the series applies, passes checkpatch and builds the Image after
# every prefix is the generic series check's business (make series-check
# SERIES=ptep-deref, make test-series); this one checks what the series
# claims about generated code:
#  - after each patch, the objects of every .c file the series touches
#    that the config builds are compiled for arm64 (GCC) in one
#    incremental build directory, and compared by objcmp, byte for byte
#    and nothing masked, with those after the previous patch;
#  - a patch not listed in PTEP_CODE_PATCHES (lib.sh) must leave every
#    one of them identical;
#  - a listed patch changes code on purpose: the objects it changed are
#    printed (the list its commit message gives), and patch 1 must
#    change mm/vmalloc.o and nothing else (a control that the comparison
#    can fail).
# Each patch is one test; the counts go to $BUILD/test-results/SUITE.
# Touched objects that the config does not build are named, not counted.
#
# Usage: series-check.sh SUITE CONFIG-FRAGMENT...
set -eu
suite=${1:?usage: series-check.sh SUITE FRAGMENT...}
shift
. harness/ptep/lib.sh

pass=0 fail=0
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
# the objects to build: those of the whole series
tree_at "$suite-all" "$npatch"
all=$tree
tree_at "$suite" 0
src=$tree obj=$work/obj
# shellcheck disable=SC2086 # $ARM64_GCC is a list of arguments
kconfig "$src" "$obj" "$frag" $ARM64_GCC

# shellcheck disable=SC2086
built=$(config_objects "$all" "$src" "$obj" $ARM64_GCC)
[ -n "$built" ] || die "the config builds none of the touched objects"
nbuilt=$(echo "$built" | wc -w)
unbuilt=$(tr '\n' ' ' < "$obj/.ptep-skipped")
say "$nbuilt touched objects built by this config${unbuilt:+; not built by it (not compared): $unbuilt}"
echo "$built" | tr ' ' '\n' | sed '/^$/d' > "$work/objects"

is_code_patch() {
	for c in $PTEP_CODE_PATCHES; do [ "$c" = "$1" ] && return 0; done
	return 1
}

snap() { for o in $built; do mkdir -p "$work/snap/$1/$(dirname "$o")"; cp "$obj/$o" "$work/snap/$1/$o"; done; }
rm -rf "$work/snap"
snap 0
k=0
for p in $(series_list); do
	k=$((k + 1))
	gitq -C "$src" am -q "$SERIES_DIR/$p" || { ko "git am $p"; break; }
	# shellcheck disable=SC2086
	if ! kmake "$src" "$obj" $ARM64_GCC $built > "$work/build-$k.log" 2>&1; then
		ko "prefix $k ($p) does not compile $nbuilt objects (see $work/build-$k.log)"
		break
	fi
	snap "$k"
	"$objcmp" "$work/snap/$((k - 1))" "$work/snap/$k" < "$work/objects" > "$work/objcmp-$k.txt" && same=1 || same=0
	changed=$(sed -n 's/^different *//p' "$work/objcmp-$k.txt" | tr '\n' ' ')
	if [ "$k" = 1 ]; then
		if [ "$changed" = "mm/vmalloc.o " ]; then
			ok "patch 1 changes mm/vmalloc.o and nothing else (control)"
		elif [ -z "$changed" ] && ! grep -q '^CONFIG_VMAP_PFN=y' "$obj/.config"; then
			ok "patch 1 changes no object (CONFIG_VMAP_PFN is off)"
		else
			ko "patch 1 changed '$changed', expected mm/vmalloc.o only"
		fi
	elif is_code_patch "$k"; then
		if grep -q -v -e '^identical' -e '^different' -e '^objcmp:' "$work/objcmp-$k.txt"; then
			ko "prefix $k: $(grep -v -e '^identical' -e '^different' "$work/objcmp-$k.txt" | tr '\n' ' ')"
		else
			ok "patch $k changes code on purpose; objects changed: ${changed:-none}"
		fi
	elif [ "$same" = 1 ]; then
		ok "prefix $k ($p) identical to prefix $((k - 1)): $(tail -n 1 "$work/objcmp-$k.txt")"
	else
		ko "prefix $k ($p) differs from prefix $((k - 1)): $(grep -v '^identical' "$work/objcmp-$k.txt" | tr '\n' ' ')"
	fi
done
[ "$k" = "$npatch" ] || ko "stopped after patch $k of $npatch"

result "$suite" "$pass" "$fail" 0
[ "$fail" = 0 ]
