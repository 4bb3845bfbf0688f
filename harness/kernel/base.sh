#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of the pinned base tarball, fetching it into
# $BUILD/bases/ first if it is not cached, after checking its sha256
# (lib.sh: base_fetch).  For the scripts outside the kernel pipeline that
# need the pinned source: the ptep proofs and the root image.
#
# Usage: base.sh [PIN-FILE]   (default kernel-patches/base.pin; BASE_TARBALL=)
set -eu
variant=base
# shellcheck source=harness/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
[ $# = 0 ] || PIN=$1
setup_env
pin_load
base_fetch >&2
echo "$base_tar"
