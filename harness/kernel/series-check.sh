#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The checks every patch series in kernel-patches/ passes before a variant
# stacks it (make series-check SERIES=NAME):
#  - a cover letter 0000-cover-letter.patch whose subject counts the
#    series ("[PATCH 0/N]"), and a series file that lists exactly the
#    patch files of the folder;
#  - the series applies with git am on what it stacks on: the pinned base
#    and the series listed before it by the first variant that stacks it;
#  - scripts/checkpatch.pl --strict reports no error for any patch (its
#    warnings are printed: each must be explained in its commit message);
#  - after every prefix of the series the arm64 Image builds with the
#    bench config, incrementally in one O= folder.  SERIES_BUILD=last
#    builds only the whole series, SERIES_BUILD=none no Image (make
#    test-series, which must fit CI's time: each prefix whose patch
#    touches a header included everywhere is a ~15 minute rebuild on 2
#    cores; the make series-check gate builds every prefix).
# The checks are fingerprinted (base, the patches under and in the series,
# the config, the compiler, this script): an unchanged series is not
# checked again, and its last counts are reported as they were.
#
# Usage: series-check.sh SERIES [SUITE]   (environment: see lib.sh)
set -eu
series=${1:?usage: series-check.sh SERIES [SUITE]}
suite=${2:-series-$series}
build_mode=${SERIES_BUILD:-all}
case "$build_mode" in all | last | none) ;; *)
	echo "series-check $series: error: SERIES_BUILD='$build_mode', not all, last or none" >&2
	exit 2 ;;
esac
variant=series-check
# shellcheck source=harness/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
setup_env
# shellcheck source=tests/lib/result.sh
. "$kernel_dir/../../tests/lib/result.sh"
step() { echo "series-check $series: $*"; }
die() { echo "series-check $series: error: $*" >&2; exit 1; }

sdir=$PATCHES/$series
[ -d "$sdir" ] || die "no series folder $sdir"

# What the series stacks on: the first variant listing it decides.
host=""
for f in "$PATCHES"/variants/*.variant; do
	if sed -n 's/^series=//p' "$f" | tr ' ' '\n' | grep -qx "$series"; then
		host=$(basename "$f" .variant)
		break
	fi
done
[ -n "$host" ] || die "no variant in $PATCHES/variants stacks series '$series'"
variant=$host
variant_load
pin_load
# (after variant_load, which uses the name "names" itself)
snames=$(series_patches "$series")
n=$(echo "$snames" | wc -w)
[ "$n" -gt 0 ] || die "$sdir/series lists no patch"
below=""
for p in $v_patches; do
	case "$p" in "$series"/*) break ;; esac
	below="$below $p"
done
mine=$(for p in $snames; do echo "$series/$p"; done)
configs="$PATCHES/configs/bench.config"

work=$BUILD/series-check/$series
mkdir -p "$work"
klog=$work/build.log
localversion=-tlbbench-series
fp=$({
	echo "base $pin_sha"
	for p in $below $mine "$series/0000-cover-letter.patch"; do
		[ ! -e "$PATCHES/$p" ] || echo "$p $(sha256 < "$PATCHES/$p")"
	done
	sha256 < "$configs"
	"${CROSS}gcc" --version | head -n 1
	sha256 < "$0"
	echo "build $build_mode"
} | sha256)

t_begin "$suite"
if [ "$(cat "$work/pass.fp" 2>/dev/null)" = "$fp" ] && [ -r "$work/pass.tap" ]; then
	step "unchanged since it last passed (fingerprint $(echo "$fp" | cut -c1-12)): its results, not run again"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) t_pass "${line#ok - } (unchanged)" ;;
		esac
	done < "$work/pass.tap"
	t_end
	exit
fi
rm -f "$work/pass.fp"
tap=$work/run.tap
: > "$tap"
ok() { t_pass "$1"; echo "ok - $1" >> "$tap"; }
ko() { t_fail "$1" "$2"; echo "not ok - $1: $2" >> "$tap"; }

# 1. The cover letter and the series file.
cover=$sdir/0000-cover-letter.patch
if [ ! -r "$cover" ]; then
	ko "cover letter" "no $cover"
else
	subj=$(sed -n 's/^Subject: //p' "$cover" | head -n 1)
	case "$subj" in
	*"*** SUBJECT HERE ***"*) ko "cover letter" "the subject is git format-patch's placeholder" ;;
	*" 0/$n]"*) ok "cover letter: $subj" ;;
	*) ko "cover letter" "subject '$subj' does not count $n patches (0/$n)" ;;
	esac
	if grep -q '\*\*\* BLURB HERE \*\*\*' "$cover"; then
		ko "cover letter body" "still has the *** BLURB HERE *** placeholder"
	fi
fi
listed=$(echo "$snames" | sort)
present=$(cd "$sdir" && ls -- *.patch | grep -v '^0000-cover-letter\.patch$' | sort)
if [ "$listed" = "$present" ]; then
	ok "series file lists the $n patches of $sdir"
else
	ko "series file" "lists '$(echo $listed)', folder has '$(echo $present)'"
fi

tree_lock "$(base_tree)"
tree=$BUILD/trees/$(base_tree)

# 2. git am of the whole series on what it stacks on.
what="the pinned base ($pin_pkg $pin_ver)${below:+ + $(echo "$below" | wc -w) patches below it}"
# shellcheck disable=SC2086 # patch paths have no blanks
if (worktree_at "$(base_tree)" $below $mine) > "$work/am.log" 2>&1; then
	ok "git am of $n patches on $what"
	# 3. checkpatch, with the series applied (its own copy of the script)
	for p in $snames; do
		out=$("$tree/scripts/checkpatch.pl" --strict --no-tree "$sdir/$p" 2>&1) || true
		total=$(printf '%s\n' "$out" | grep '^total:' || echo "total: (no summary)")
		case "$total" in
		"total: 0 errors"*)
			ok "checkpatch --strict $p: ${total#total: }"
			printf '%s\n' "$out" | grep -E '^(WARNING|CHECK):' | sed 's/^/  /' | sort | uniq -c | sed 's/^ */    /' || true
			;;
		*) ko "checkpatch --strict $p" "$total" ;;
		esac
	done
else
	sed 's/^/  /' "$work/am.log" >&2
	ko "git am of $n patches on $what" "see above"
fi

# 4. Every prefix builds (the Image, bench config, one O= folder); with
# SERIES_BUILD=last only the whole series, with none not one.
obj=$work/obj
k=0
mine_build=$mine
if [ "$build_mode" = none ]; then
	step "SERIES_BUILD=none: no prefix is built (make series-check SERIES=$series builds every one)"
	mine_build=""
fi
for p in $mine_build; do
	k=$((k + 1))
	[ "$build_mode" = all ] || [ "$k" = "$n" ] || continue
	prefix=$(echo "$mine" | head -n "$k")
	# shellcheck disable=SC2086
	if ! (worktree_at "$(base_tree)" $below $prefix) >> "$work/am.log" 2>&1; then
		ko "prefix $k builds" "does not apply"
		break
	fi
	if [ ! -r "$obj/.config" ] || [ "$k" = 1 ]; then
		(kmake "$obj" allnoconfig KCONFIG_ALLCONFIG="$configs" &&
			kmake "$obj" olddefconfig) || { ko "configure" "see $klog"; break; }
	fi
	step "prefix $k/$n: building the Image (log: $klog)"
	if (kmake_progress "$obj" Image); then
		ok "prefix $k/$n (${p#"$series"/}) builds the arm64 Image"
	else
		ko "prefix $k/$n (${p#"$series"/}) builds the arm64 Image" "see $klog"
		break
	fi
done

if [ "$t_fail" = 0 ]; then
	mv "$tap" "$work/pass.tap"
	echo "$fp" > "$work/pass.fp"
fi
t_end
