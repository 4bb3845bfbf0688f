# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared steps of the kernel pipeline, sourced by kbuild.sh and kpkg.sh:
# check the pin, read and validate a variant, fingerprint its inputs, keep
# the extracted base repository and the variant's patched worktree, and run
# the kernel's own make for arm64.  Every step prints one progress line.
#
# Environment: BUILD (build dir), PATCHES (kernel-patches dir), PIN (pin
# file), JOBS (make -j), KBUILD_LOCK (the machine-wide kernel build lock,
# default $BUILD/.kbuild.lock).  Callers set $variant before step/die.

CROSS=aarch64-linux-gnu-

die() { echo "kernel ${variant:-}: error: $*" >&2; exit 1; }
step() { echo "kernel $variant: $*"; }

abspath() { mkdir -p "$1" && (cd "$1" && pwd); }

# kv_read FILE KEYS REQUIRED: validate FILE, keep its table in $kv.
kv_read() {
	kv=$(awk -v keys="$2" -v required="$3" -f "$kernel_dir/kv.awk" "$1") ||
		die "invalid data file $1 (see above)"
}
kv_get() { printf '%s\n' "$kv" | awk -F '\t' -v k="$1" '$1 == k { sub(/^[^\t]*\t[^\t]*\t/, ""); print }'; }
kv_line() { printf '%s\n' "$kv" | awk -F '\t' -v k="$1" '$1 == k { print $2 }'; }

sha256() { sha256sum | cut -d' ' -f1; }

# pin_load: read the pin file $PIN strictly.  A pin names a Debian source
# package by exact version, the tarball inside it and that tarball's sha256;
# nothing is ever built from anything else.  Sets pin_pkg, pin_ver,
# pin_member, pin_sha and pin_id (the short hash naming the base's caches).
pin_load() {
	[ -r "$PIN" ] || die "no pin file $PIN"
	kv_read "$PIN" "package version member sha256" "package version member sha256"
	pin_pkg=$(kv_get package)
	pin_ver=$(kv_get version)
	pin_member=$(kv_get member)
	pin_sha=$(kv_get sha256)
	case "$pin_sha" in
	*[!0-9a-f]*) die "$PIN:$(kv_line sha256): sha256 is 64 lower-case hex digits" ;;
	esac
	[ ${#pin_sha} = 64 ] || die "$PIN:$(kv_line sha256): sha256 is 64 lower-case hex digits"
	pin_id=$(echo "$pin_sha" | cut -c1-12)
}

# tarball_verify FILE WHAT: FILE must have the pinned sha256.
tarball_verify() {
	sum=$(sha256 < "$1")
	[ "$sum" = "$pin_sha" ] ||
		die "$PIN: $2 $1: sha256 mismatch: expected $pin_sha, found $sum; refusing to build from it${3:-}"
}

# base_fetch: $base_tar, the pinned tarball, verified.  It comes from
# BASE_TARBALL= when set, else from the cache $BUILD/bases/, else from the
# .deb of the exact pinned version (apt-get download, which checks the
# package against the signed archive index; the installed version of the
# package, if any, plays no part).  A version Debian no longer serves is an
# error naming the way out; there is no fallback to another version.
base_fetch() {
	if [ -n "${BASE_TARBALL:-}" ]; then
		base_tar=$BASE_TARBALL
		[ -r "$base_tar" ] || die "BASE_TARBALL=$base_tar: no such file"
		tarball_verify "$base_tar" "BASE_TARBALL="
		return 0
	fi
	cache=$BUILD/bases/${pin_pkg}_$pin_ver
	base_tar=$cache/$(basename "$pin_member")
	mkdir -p "$BUILD/bases"
	exec 7> "$BUILD/bases/.lock"
	flock 7
	if [ -e "$base_tar" ]; then
		exec 7>&-
		tarball_verify "$base_tar" "cached tarball" " (delete it to fetch the package again)"
		return 0
	fi
	step "fetching $pin_pkg=$pin_ver (the pinned base) into $cache"
	rm -rf "$cache.tmp"
	mkdir -p "$cache.tmp"
	# apt's download user must be able to write here when we are root
	chmod 777 "$cache.tmp"
	if ! (cd "$cache.tmp" && apt-get download -q "$pin_pkg=$pin_ver") > "$cache.tmp/apt.log" 2>&1 &&
		[ "$(id -u)" = 0 ]; then
		# stale or empty package lists on a fresh machine: refresh once
		step "apt-get update (the lists do not have $pin_pkg=$pin_ver)"
		apt-get update -qq >> "$cache.tmp/apt.log" 2>&1 || true
		(cd "$cache.tmp" && apt-get download -q "$pin_pkg=$pin_ver") >> "$cache.tmp/apt.log" 2>&1 || true
	fi
	deb=$(ls "$cache.tmp"/*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		sed 's/^/  /' "$cache.tmp/apt.log" | grep -v '^  *$' | tail -n 5 >&2
		die "$PIN: $pin_pkg $pin_ver is not served by this machine's Debian sources (apt-get download failed, above). Ways out: BASE_TARBALL=FILE with a tarball whose sha256 is $pin_sha (the $pin_member of that package, e.g. from Debian's snapshot archive), or a new pin file for a version that is served (PIN=FILE)"
	fi
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$pin_member" > "$cache.tmp/tarball" ||
		die "$PIN: $deb has no $pin_member"
	tarball_verify "$cache.tmp/tarball" "$pin_member of $(basename "$deb"):"
	rm -f "$deb"
	mkdir -p "$cache"
	mv "$cache.tmp/tarball" "$base_tar"
	mv "$cache.tmp/apt.log" "$cache/apt.log"
	rm -rf "$cache.tmp"
	exec 7>&-
}

# series_patches SERIES: the patch names of one series, validated, in order.
series_patches() {
	sfile=$PATCHES/$1/series
	[ -r "$sfile" ] || die "series '$1': no file $sfile"
	awk -v f="$sfile" '
		/^[ \t]*(#|$)/ { next }
		$0 !~ /^[0-9][0-9][0-9][0-9]-[^\/ \t]*\.patch$/ {
			printf "%s:%d: expected NNNN-name.patch, got %s\n", f, FNR, $0 > "/dev/stderr"
			bad = 1
			next
		}
		{ print }
		END { exit bad }' "$sfile" || die "invalid series file $sfile"
}

# variant_load: read $PATCHES/variants/$variant.variant and check that every
# series, patch and config fragment it names exists.
variant_load() {
	case "$variant" in
	*[!a-z0-9.-]* | "" | -* | .*) die "bad variant name '$variant' (use a-z, 0-9, ., -)" ;;
	esac
	vfile=$PATCHES/variants/$variant.variant
	if [ ! -r "$vfile" ]; then
		known=""
		for f in "$PATCHES"/variants/*.variant; do
			[ ! -e "$f" ] || known="$known $(basename "$f" .variant)"
		done
		die "unknown variant: no $vfile (known:$known)"
	fi
	kv_read "$vfile" "description base series configs cmdline bench localversion against" \
		"description series configs"
	case "$(kv_get bench)" in
	'' | yes | no) ;;
	*) die "$vfile:$(kv_line bench): bench is yes or no, not '$(kv_get bench)'" ;;
	esac
	# base=NAME: the pin kernel-patches/NAME.pin (default base.pin); a
	# PIN= given by the caller wins.
	v_base=$(kv_get base)
	if [ -n "$v_base" ]; then
		case "$v_base" in
		*[!a-z0-9.-]* | -*) die "$vfile:$(kv_line base): bad base name '$v_base'" ;;
		esac
		[ -r "$PATCHES/$v_base.pin" ] ||
			die "$vfile:$(kv_line base): base '$v_base': no pin file $PATCHES/$v_base.pin"
		[ -n "$pin_env" ] || PIN=$PATCHES/$v_base.pin
	fi
	# localversion=SUFFIX: the release suffix (default -tlbbench-VARIANT);
	# two variants may share one, so that identical code gives identical
	# Images (the A/A pair).
	if [ -n "$(kv_get localversion)" ]; then
		localversion=$(kv_get localversion)
		case "$localversion" in
		-*[!a-z0-9.+-]* | [!-]*) die "$vfile:$(kv_line localversion): localversion is '-' and [a-z0-9.+-], not '$localversion'" ;;
		esac
	fi
	# against=VARIANT: what make bench compares this variant with.
	# (none: a reference compared with nothing)
	v_against=$(kv_get against)
	if [ -n "$v_against" ] && [ "$v_against" != none ] &&
		[ ! -r "$PATCHES/variants/$v_against.variant" ]; then
		die "$vfile:$(kv_line against): against '$v_against': no $PATCHES/variants/$v_against.variant"
	fi
	v_series=$(kv_get series)
	v_configs=$(kv_get configs)
	# shellcheck disable=SC2034 # used by kbuild.sh
	v_cmdline=$(kv_get cmdline)
	# a series entry is NAME (every patch) or NAME:N (its first N)
	v_patches=""
	for entry in $v_series; do
		s=${entry%%:*}
		count=all
		case "$entry" in
		*:*)
			count=${entry#*:}
			case "$count" in
			"" | *[!0-9]* | 0) die "$vfile:$(kv_line series): '$entry': NAME:N takes the first N (1 or more) patches" ;;
			esac
			;;
		esac
		[ -d "$PATCHES/$s" ] || die "$vfile:$(kv_line series): series '$s': no folder $PATCHES/$s"
		names=$(series_patches "$s")
		if [ "$count" != all ]; then
			[ "$count" -le "$(echo "$names" | wc -w)" ] ||
				die "$vfile:$(kv_line series): '$entry': series '$s' has only $(echo "$names" | wc -w) patches"
			names=$(echo "$names" | head -n "$count")
		fi
		for p in $names; do
			[ -r "$PATCHES/$s/$p" ] || die "$PATCHES/$s/series: lists $p, which does not exist"
			v_patches="$v_patches $s/$p"
		done
	done
	[ -n "$v_configs" ] || die "$vfile:$(kv_line configs): configs is empty"
	for c in $v_configs; do
		[ -r "$PATCHES/configs/$c" ] ||
			die "$vfile:$(kv_line configs): config fragment '$c': no file $PATCHES/configs/$c"
	done
}

# Fingerprints: the tree depends on the base and the patches; the build on
# the tree, the fragments, the release suffix and the compiler.
variant_fingerprints() {
	tree_fp=$({
		echo "base $pin_sha"
		for p in $v_patches; do
			echo "patch $p $(sha256 < "$PATCHES/$p")"
		done
	} | sha256)
	# shellcheck disable=SC2034 # used by kbuild.sh
	build_fp=$({
		echo "tree $tree_fp"
		for c in $v_configs; do
			echo "config $c $(sha256 < "$PATCHES/configs/$c")"
		done
		echo "localversion $localversion"
		"${CROSS}gcc" --version | head -n 1
	} | sha256)
}

gitq() { git -c user.name=tlbbench -c user.email=tlbbench@invalid "$@"; }

# base_ensure: the pinned tarball, extracted once into a one-commit repo.
base_ensure() {
	base=$BUILD/base/$pin_id
	[ -e "$base/.git/tlbbench-base" ] && return 0
	# one extraction at a time, even for builds of different variants
	mkdir -p "$BUILD/base"
	exec 8> "$BUILD/base/.lock"
	flock 8
	if [ -e "$base/.git/tlbbench-base" ]; then
		exec 8>&-
		return 0
	fi
	base_fetch
	step "extracting $base_tar into $base (once)"
	rm -rf "$base.tmp"
	mkdir -p "$base.tmp"
	tar -xJf "$base_tar" -C "$base.tmp" --strip-components=1
	step "committing the base ($pin_pkg $pin_ver)"
	git -C "$base.tmp" init -q
	git -C "$base.tmp" config gc.auto 0
	git -C "$base.tmp" add -A -f
	GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z gitq -C "$base.tmp" commit -q \
		-m "base: $pin_pkg $pin_ver" -m "sha256 of $pin_member: $pin_sha"
	git -C "$base.tmp" tag base
	echo "$pin_sha" > "$base.tmp/.git/tlbbench-base"
	mv "$base.tmp" "$base"
	exec 8>&-
}

# tree_lock NAME: hold worktree NAME for the rest of this process (fd 6).
# A worktree is shared by every user of its base (variants, series checks,
# bisection), one at a time.
tree_lock() {
	mkdir -p "$BUILD/trees"
	exec 6> "$BUILD/trees/.$1.lock"
	flock -n 6 || { step "waiting for worktree $1 (in use by another build)"; flock 6; }
}

# worktree_at NAME PATCH...: $tree is the worktree $BUILD/trees/NAME of the
# base with PATCH... (paths under $PATCHES) applied in order by git am.  The
# result is kept as a ref named by the fingerprint of the base and the
# patches, so returning to a patch list already seen is a plain checkout,
# which touches only the files that differ: every variant and every prefix
# of a series shares one source path, and so the compiler cache.  The
# caller holds tree_lock NAME (the scripts of one series' own proofs, with
# worktrees of their own, need not).
worktree_at() {
	tname=$1
	shift
	base_ensure
	tree=$BUILD/trees/$tname
	tfp=$({
		echo "base $pin_sha"
		for p in "$@"; do
			echo "patch $p $(sha256 < "$PATCHES/$p")"
		done
	} | sha256)
	ref=refs/tlbbench/$tfp
	if ! git -C "$tree" rev-parse -q --verify HEAD > /dev/null 2>&1; then
		step "creating worktree $tree"
		rm -rf "$tree"
		git -C "$base" worktree prune
		git -C "$base" worktree add -q --detach "$tree" base
	fi
	git -C "$tree" am --abort > /dev/null 2>&1 || true
	if commit=$(git -C "$base" rev-parse -q --verify "$ref^{commit}") &&
		[ "$(git -C "$base" rev-list --count "base..$commit")" = $# ]; then
		if [ "$(git -C "$tree" rev-parse HEAD)" != "$commit" ] ||
			! git -C "$tree" diff --quiet HEAD; then
			git -C "$tree" reset -q --hard
			git -C "$tree" checkout -q --detach "$commit"
		fi
		return 0
	fi
	git -C "$tree" reset -q --hard
	git -C "$tree" checkout -q --detach base
	amlog=$BUILD/trees/.$tname.am.log
	for p in "$@"; do
		step "applying $p"
		gitq -C "$tree" am -q "$PATCHES/$p" > "$amlog" 2>&1 && continue
		git -C "$tree" am --abort > /dev/null 2>&1 || true
		git -C "$tree" apply --check -v "$PATCHES/$p" 2>&1 | sed 's/^/  /' >&2 || true
		die "patch $p does not apply (failing hunk above; git am: $(grep -m 2 . "$amlog" | tr '\n' ' '))"
	done
	# the worktree's HEAD: refs are shared by every worktree of the base
	git -C "$tree" update-ref "$ref" "$(git -C "$tree" rev-parse HEAD)"
}

# base_tree: the name of the worktree every variant of this base builds in.
base_tree() { echo "$pin_pkg-$pin_id"; }

# series_prefix SERIES N: the paths (under $PATCHES) of the first N patches
# of SERIES, one a line; N=all for every one.
series_prefix() {
	# the whole list first: head closing the pipe early would kill the
	# reader with SIGPIPE, which reads as an invalid series file
	sp_list=$(series_patches "$1") || exit 1
	case "$2" in
	all) ;;
	0) sp_list="" ;;
	*) sp_list=$(printf '%s\n' "$sp_list" | sed -n "1,${2}p") ;;
	esac
	[ -z "$sp_list" ] || printf '%s\n' "$sp_list" | sed "s|^|$1/|"
}

# kmake_in SRC OBJDIR ARG...: the kernel's make in SRC with O=OBJDIR, one
# heavy build at a time on this machine (flock), through the compiler
# cache.  The build timestamp, number, user and host are fixed, so the same
# tree and config give the same Image.
kmake_in() {
	ksrc=$1 kobj=$2
	shift 2
	mkdir -p "$kobj"
	lock=${KBUILD_LOCK:-$BUILD/.kbuild.lock}
	flock -n "$lock" true || step "waiting for $lock (another kernel build is running)"
	CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache} CCACHE_STATSLOG=${ccache_log:-} flock "$lock" \
		make -C "$ksrc" O="$kobj" -j"$JOBS" \
		KBUILD_BUILD_TIMESTAMP=0 KBUILD_BUILD_VERSION=1 \
		KBUILD_BUILD_USER=tlbbench KBUILD_BUILD_HOST=tlbbench "$@"
}

# kmake OBJDIR TARGET...: kmake_in for arm64 in $tree with GCC and the
# variant's release suffix, output to $klog.
kmake() {
	obj=$1
	shift
	if ! kmake_in "$tree" "$obj" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" LOCALVERSION="$localversion" "$@" >> "$klog" 2>&1; then
		tail -n 30 "$klog" | sed 's/^/  /' >&2
		die "make $* failed (full log: $klog)"
	fi
}

# kmake_progress OBJDIR TARGET...: kmake with a progress line a minute:
# objects compiled so far, against the object count of the last build of
# this base (kept in $BUILD/kernels/.objects-<base>), and the time left at
# the rate so far.  The count is recorded again at the end.
kmake_progress() {
	pobj=$1
	countf=$BUILD/kernels/.objects-$pin_id
	total=$(cat "$countf" 2>/dev/null || echo 0)
	done0=$(grep -cE '^  (CC|AS) ' "$klog" || true)
	kmake "$@" &
	kpid=$!
	tstart=$(date +%s)
	next=$((tstart + 60))
	while kill -0 "$kpid" 2> /dev/null; do
		sleep 2
		now=$(date +%s)
		[ "$now" -ge "$next" ] || continue
		next=$((now + 60))
		n=$(($(grep -cE '^  (CC|AS) ' "$klog" || true) - done0))
		el=$((now - tstart))
		t="$((el / 60))m$((el % 60))s elapsed"
		if [ "$n" = 0 ]; then
			step "building: no object compiled yet, $t (waiting for the build lock, or in make's first steps)"
		elif [ "$total" -gt "$n" ]; then
			left=$(((total - n) * el / n))
			step "building: $n of up to $total objects, $t, at most ~$((left / 60))m$((left % 60))s left"
		elif [ "$total" = 0 ]; then
			step "building: $n objects, $t (first build of this base: no estimate; about 5 minutes alone on 2 cores)"
		else
			step "building: $n objects (more than the last build's $total), $t"
		fi
	done
	wait "$kpid" || exit 1
	find "$pobj" -name '*.o' | wc -l > "$countf"
}

# ccache_zero / ccache_rate: the compiler cache's hits for this variant's
# build alone (ccache's per-build stats log).
ccache_zero() {
	ccache_log=$kdir/ccache-stats.log
	rm -f "$ccache_log"
}
ccache_rate() {
	[ -s "$ccache_log" ] || { echo "ccache: no compilations"; return 0; }
	CCACHE_DIR=$BUILD/ccache CCACHE_STATSLOG=$ccache_log ccache --show-log-stats -v 2>/dev/null |
		awk '/^ *Hits:/ { h = $2; t = $4 } END { if (t) printf "ccache: %d of %d cacheable compilations hit (%.0f%%)", h, t, 100 * h / t; else print "ccache: no cacheable compilations" }'
}

# config_check CONFIG FRAGMENT...: every option a fragment sets must keep
# its value after olddefconfig; a dropped one is named with file and line.
config_check() {
	cfg=$1
	shift
	awk -f "$kernel_dir/configcheck.awk" "$@" "$cfg" ||
		die "options above were dropped from the configuration"
}

# variant_lock: one pipeline at a time per variant (tree, O= dir, outputs).
variant_lock() {
	mkdir -p "$BUILD/kernels"
	exec 9> "$BUILD/kernels/.$variant.lock"
	flock -n 9 || { step "waiting for another build of $variant"; flock 9; }
}

setup_env() {
	kernel_dir=${kernel_dir:-$(cd "$(dirname "$0")" && pwd)}
	BUILD=$(abspath "${BUILD:-build}")
	PATCHES=$(cd "${PATCHES:-kernel-patches}" && pwd) || die "no patches dir ${PATCHES:-kernel-patches}"
	pin_env=${PIN:-}
	PIN=${PIN:-$PATCHES/base.pin}
	JOBS=${JOBS:-$(nproc)}
	localversion=-tlbbench-$variant
	kdir=$BUILD/kernels/$variant
	klog=$kdir/build.log
}
