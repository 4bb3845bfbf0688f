#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages tlbbench needs, idempotently: print nothing and
# touch nothing when every package is already there.  QEMU 10.0 comes from
# bookworm-backports (bookworm's own 7.2 lacks the plugin register API); the
# backports source is derived from the machine's existing deb822 Debian
# source, so no mirror host is ever written into this repository.
#
# Usage: install.sh PACKAGE...   (a PACKAGE of the form name/backports is
# installed from bookworm-backports; name:arm64 needs the arm64 architecture)
set -eu

stage() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

native=$(dpkg --print-architecture)

# Is "name" or "name:arch" installed?  Without an explicit arch, the
# native or the arch-independent package counts (dpkg-query lists every
# architecture of a multi-arch package).
installed() {
	case "$1" in
	*:*) want=${1#*:} ;;
	*) want=$native ;;
	esac
	dpkg-query -W -f='${Architecture} ${db:Status-Status}\n' "$1" 2>/dev/null |
		grep -Eq "^($want|all) installed$"
}

missing=""
for spec in "$@"; do
	installed "${spec%/backports}" || missing="$missing $spec"
done
[ -n "$missing" ] || exit 0

[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root, or install them)"
export DEBIAN_FRONTEND=noninteractive

case "$missing" in *:arm64*)
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		stage "adding the arm64 architecture"
		dpkg --add-architecture arm64
	fi
esac

backports_list=/etc/apt/sources.list.d/tlbbench-backports.sources
case "$missing" in */backports*)
	if [ ! -e "$backports_list" ]; then
		src=""
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -e "$f" ] || continue
			# the deb822 stanza whose Suites carries the plain release
			if awk '/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") found = 1 }
			     END { exit !found }' "$f"; then
				src=$f
				break
			fi
		done
		[ -n "$src" ] || die "no deb822 source with Suites: bookworm under /etc/apt/sources.list.d to derive bookworm-backports from"
		uris=$(awk '/^URIs:/ && !done { sub(/^URIs:[ \t]*/, ""); print; done = 1 }' "$src")
		key=$(awk '/^Signed-By:/ && !done { sub(/^Signed-By:[ \t]*/, ""); print; done = 1 }' "$src")
		[ -n "$uris" ] || die "$src has no URIs: line"
		stage "adding bookworm-backports (from $src)"
		{
			echo "# written by tlbbench harness/deps/install.sh from $src"
			echo "Types: deb"
			echo "URIs: $uris"
			echo "Suites: bookworm-backports"
			echo "Components: main"
			[ -z "$key" ] || echo "Signed-By: $key"
		} > "$backports_list"
	fi
esac

# Something is missing, so refresh the lists once: on a fresh machine they
# are empty or stale and apt would not find the packages.
stage "apt-get update"
apt-get update -qq || die "apt-get update failed"

plain="" bp=""
for spec in $missing; do
	case "$spec" in
	*/backports) bp="$bp ${spec%/backports}" ;;
	*) plain="$plain $spec" ;;
	esac
done
if [ -n "$plain" ]; then
	stage "installing$plain"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $plain > /dev/null ||
		die "apt-get install failed for:$plain"
fi
if [ -n "$bp" ]; then
	stage "installing from bookworm-backports:$bp"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends -t bookworm-backports $bp > /dev/null ||
		die "apt-get install -t bookworm-backports failed for:$bp"
fi
