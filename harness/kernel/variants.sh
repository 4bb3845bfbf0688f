#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel variants "make bench" measures: every variant file under
# $PATCHES/variants/ except those that say bench=no (debug and test-only
# kernels), baseline first because everything is compared against it.
# Each file is read with the pipeline's strict reader (lib.sh:
# variant_load), so a bad variant file stops here naming file and line.
#
# Usage: variants.sh            the names, on one line
#        variants.sh --series   the series those variants stack, each once,
#                               in stacking order
#        variants.sh --pairs    "VARIANT AGAINST" per variant but baseline
#                               (against= in the file, default baseline)
#        variants.sh --against VARIANT
#                               what VARIANT is compared with: a variant,
#                               or none (baseline: none)
# Environment: PATCHES (default kernel-patches).
set -eu
mode=${1:-names}
variant=variants
# shellcheck source=harness/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
setup_env
if [ "$mode" = --against ]; then
	variant=${2:?usage: variants.sh --against VARIANT}
	variant_load
	if [ "$variant" = baseline ]; then echo none; else echo "${v_against:-baseline}"; fi
	exit 0
fi
[ -r "$PATCHES/variants/baseline.variant" ] || die "no $PATCHES/variants/baseline.variant"

vnames="" vseries="" pairs=""
for f in "$PATCHES/variants/baseline.variant" "$PATCHES"/variants/*.variant; do
	variant=$(basename "$f" .variant)
	case " $vnames " in *" $variant "*) continue ;; esac
	variant_load
	[ "$(kv_get bench)" != no ] || continue
	vnames="${vnames:+$vnames }$variant"
	for s in $(echo "$v_series" | sed "s/:[0-9]*//g"); do
		case " $vseries " in *" $s "*) ;; *) vseries="${vseries:+$vseries }$s" ;; esac
	done
	[ "$variant" = baseline ] || pairs="$pairs$variant ${v_against:-baseline}
"
done
case "$mode" in
names) echo "$vnames" ;;
--series) echo "$vseries" ;;
--pairs) printf '%s' "$pairs" ;;
*) variant=variants.sh; die "usage: variants.sh [--series | --pairs]" ;;
esac
