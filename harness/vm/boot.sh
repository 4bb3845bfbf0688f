#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Boot a built kernel variant under QEMU "virt", run one job in the guest and
# leave everything in the run folder: job.sh, console.log, job.log, the
# guest's exit-status, what the job wrote (samples.jsonl) and boot-result.
# The run folder is the guest's /results (9p), so every sample written
# before a crash is kept; --deterministic boots keep /results in guest
# memory and copy it to the run folder when the job ends (see init).
# Guest RAM is a shared file (for the tlbsim plugin: $TLBBENCH_GUEST_RAM,
# or mem= added to --plugin).
#
# Usage: boot.sh [OPTIONS] VARIANT
#   --cmd 'SHELL CODE' | --job FILE   the job (default: uname -a)
#   --run-dir DIR        default results/<date>-boot-VARIANT
#   --cpu MODEL          max (default), cortex-a76, neoverse-n1, cortex-a57
#   --smp N --mem SIZE --numa NODES   default 1, 1G, 1
#   --deterministic      icount, vm clock, fixed DTB, nokaslr; needs --smp 1
#   --thp MODE --hugepages 64K:N,2M:N --append 'KERNEL ARGS'
#   --plugin SO[,ARG=V]  TCG plugin; mem= and out= are added unless given
#   --disk IMAGE         root file system (make rootfs) on virtio-blk, as a
#                        snapshot (writes are dropped); the job runs chrooted in it
#   --accel auto|tcg|kvm --timeout SECONDS (default $BOOT_TIMEOUT, else 600)
#   --console
# The timeout is wall-clock: a deterministic run's counts do not depend on
# it, but a whole plan under TCG on a loaded machine can take longer than
# 600 s.  BOOT_TIMEOUT comes from the environment, so every plan runner
# (bench, sweep) inherits it from make's command line; contpte-ratios sets
# it to 3600.
# Extra QEMU arguments: $QEMU_EXTRA (split on blanks; @RAM@ and @RUN@ are
# replaced by the RAM file and the run folder).
# Exit status: the job's exit status when the guest ran it; 10 the guest
# panicked (or oopsed), 11 it hung (timeout), 12 QEMU failed or the guest
# stopped early, 2 usage.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}

usage() { echo "boot: $*" >&2; exit 2; }
num() { case "$2" in '' | *[!0-9]*) usage "$1 must be a number, got '$2'" ;; esac; }
variant="" cmd="uname -a" job="" run="" cpu="" smp=1 mem=1G numa=1 det=0
thp="" huge="" append="" plugin="" accel=auto tmo=${BOOT_TIMEOUT:-600} console=0 disk=""
num BOOT_TIMEOUT "$tmo"
while [ $# -gt 0 ]; do
	case "$1" in
	--deterministic) det=1; shift; continue ;;
	--console) console=1; shift; continue ;;
	--*) [ $# -ge 2 ] || usage "$1 needs a value" ;;
	esac
	case "$1" in
	--cmd) cmd=$2 ;;
	--job) job=$2 ;;
	--run-dir) run=$2 ;;
	--cpu) cpu=$2 ;;
	--smp) smp=$2 ;;
	--mem) mem=$2 ;;
	--numa) numa=$2 ;;
	--thp) thp=$2 ;;
	--hugepages) huge=$2 ;;
	--append) append=$2 ;;
	--plugin) plugin=$2 ;;
	--disk) disk=$2 ;;
	--accel) accel=$2 ;;
	--timeout) tmo=$2 ;;
	-*) usage "unknown option $1" ;;
	*) [ -z "$variant" ] || usage "one variant only"; variant=$1; shift; continue ;;
	esac
	shift 2
done
[ -n "$variant" ] || usage "usage: boot.sh [OPTIONS] VARIANT (see the header of $0)"

num --smp "$smp"; num --numa "$numa"; num --timeout "$tmo"
if [ "$smp" -lt 1 ] || [ "$numa" -lt 1 ] || [ "$tmo" -lt 1 ]; then
	usage "--smp, --numa and --timeout must be at least 1"
fi
case "$mem" in
*[!0-9]*[MG] | *[MG]*[MG] | [MG]*) usage "--mem takes a size like 512M or 4G, got '$mem'" ;;
*G) mem_mb=$((${mem%G} * 1024)) ;;
*M) mem_mb=${mem%M} ;;
*) usage "--mem takes a size like 512M or 4G, got '$mem'" ;;
esac
[ "$mem_mb" -gt 0 ] || usage "--mem must not be 0"
[ $((mem_mb % numa)) = 0 ] || usage "--mem $mem does not split into $numa equal nodes"
case "$thp" in '' | always | madvise | never) ;; *) usage "--thp is always, madvise or never" ;; esac
[ -z "$disk" ] || [ -r "$disk" ] || usage "--disk $disk: no such image (run: make rootfs)"

kdir=$BUILD/kernels/$variant
[ -r "$kdir/Image" ] || usage "variant $variant is not built (run: make kernel K=$variant)"

if [ "$accel" = auto ]; then
	accel=tcg
	[ "$(uname -m)" != aarch64 ] || [ ! -w /dev/kvm ] || accel=kvm
fi
case "$accel" in
tcg)
	cpu=${cpu:-max}
	case "$cpu" in max | cortex-a76 | neoverse-n1 | cortex-a57) ;;
	*) usage "--cpu is max, cortex-a76, neoverse-n1 or cortex-a57, got '$cpu'" ;; esac
	set -- -accel tcg -cpu "$cpu"
	machine=virt,gic-version=3 ;;
kvm)
	[ -z "$cpu" ] || usage "--cpu $cpu needs TCG; KVM uses the host CPU"
	[ "$det" = 0 ] || usage "--deterministic needs TCG"
	[ -z "$plugin" ] || usage "--plugin needs TCG"
	cpu=host
	set -- -enable-kvm -cpu host
	machine=virt,gic-version=host ;;
*) usage "--accel is auto, tcg or kvm" ;;
esac

[ "$det" = 0 ] || [ "$smp" = 1 ] || usage "--deterministic needs --smp 1"
[ $((smp % numa)) = 0 ] || [ "$smp" -lt "$numa" ] || usage "--smp $smp does not split over $numa nodes"
[ -z "$plugin" ] || [ "$numa" = 1 ] || usage "--plugin reads one RAM file; use --numa 1"

run=${run:-results/$(date -u +%Y%m%d-%H%M%S)-boot-$variant}
[ ! -e "$run" ] || usage "run folder $run already exists"
mkdir -p "$run"
run=$(cd "$run" && pwd)
run_id=$(basename "$run")

# The job: context for the runner, then the command or the job file.
qemu_version=$(qemu-system-aarch64 --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')
{
	echo "#!/bin/sh"
	echo "# tlbbench job for run $run_id, written by harness/vm/boot.sh"
	echo "export TLBBENCH_TARGET=$accel"
	echo "export TLBBENCH_VARIANT=$variant"
	echo "export TLBBENCH_CONFIG_SHA256=$(cat "$kdir/config.sha256")"
	echo "export TLBBENCH_QEMU_VERSION=$qemu_version"
	echo "export TLBBENCH_QEMU_CPU=$cpu"
	echo "export TLBBENCH_RUN_ID=$run_id"
	# what the build stacked, as the pipeline read it (strict, PATCHES=)
	echo "export TLBBENCH_SERIES='$(cat "$kdir/series" 2>/dev/null)'"
	echo "export TLBBENCH_DETERMINISTIC=$det"
	if [ -n "$job" ]; then cat "$job"; else printf '%s\n' "$cmd"; fi
} > "$run/job.sh"

initrd=$BUILD/vm/initramfs.cpio
mkdir -p "$BUILD/vm"
"$here/initramfs.sh" "$kdir/obj/usr/gen_init_cpio" "$BUILD/aarch64/bin/tlbbench" "$initrd"

# Kernel command line: variant's own, then harness settings, then --append.
kargs="console=ttyAMA0 rdinit=/init panic=-1 oops=panic"
karg() { for a in "$@"; do kargs="$kargs $a"; done; }
# shellcheck disable=SC2046 # the variant's arguments, split on blanks
karg $(cat "$kdir/cmdline")
[ -z "$thp" ] || karg "transparent_hugepage=$thp"
for h in $(echo "$huge" | tr , ' '); do
	case "$h" in
	[0-9]*[KMG]:[0-9]*) num --hugepages "${h#*:}" ;;
	*) usage "--hugepages takes SIZE:COUNT,... like 64K:32,2M:8, got '$h'" ;;
	esac
	karg "hugepagesz=${h%%:*}" "hugepages=${h#*:}"
done
if [ "$det" = 1 ]; then
	# no kernel or user address randomisation, a fixed DTB and clock, a
	# seeded RNDR (-cpu max has FEAT_RNG, the kernel seeds its RNG from
	# it) and no 9p I/O until the job ends (init: a 9p reply comes on
	# host time): the same kernel and job execute the same instructions
	karg nokaslr norandmaps tlbbench.quiet_io
	machine=$machine,dtb-randomness=off
	set -- "$@" -icount shift=0,sleep=off -rtc clock=vm,base=2020-01-01T00:00:00 \
		-seed 1
fi
if [ -n "$disk" ]; then
	# init mounts it and runs the job chrooted in it
	karg tlbbench.root=/dev/vda
	set -- "$@" -drive "file=$disk,format=raw,if=none,id=root,snapshot=on" \
		-device virtio-blk-pci,drive=root
fi
# shellcheck disable=SC2086 # --append is a list of arguments
karg $append

# Guest RAM: one shared file per NUMA node, in /dev/shm.
ram=/dev/shm/tlbbench-$run_id-$$
node_mb=$((mem_mb / numa))
rams=""
trap 'rm -f "$ram".*' EXIT
trap 'exit 130' INT TERM
# The job also travels in the initramfs, for init's quiet-I/O mode, with a
# fixed mtime (the RTC base): the kernel parses every cpio header.
touch -d @1577836800 "$run/job.sh"
printf 'file /job.sh %s 0755 0 0\n' "$run/job.sh" > "$ram.list"
"$kdir/obj/usr/gen_init_cpio" "$ram.list" | cat "$initrd" - > "$ram.initrd"
if [ "$numa" = 1 ]; then
	machine=$machine,memory-backend=ram0
	set -- "$@" -object "memory-backend-file,id=ram0,size=${mem_mb}M,mem-path=$ram.0,share=on"
	rams=$ram.0
else
	i=0
	while [ "$i" -lt "$numa" ]; do
		set -- "$@" -object "memory-backend-file,id=ram$i,size=${node_mb}M,mem-path=$ram.$i,share=on"
		if [ "$smp" -ge "$numa" ]; then
			per=$((smp / numa))
			set -- "$@" -numa "node,nodeid=$i,memdev=ram$i,cpus=$((i * per))-$((i * per + per - 1))"
		elif [ "$i" = 0 ]; then
			set -- "$@" -numa "node,nodeid=$i,memdev=ram$i,cpus=0-$((smp - 1))"
		else
			set -- "$@" -numa "node,nodeid=$i,memdev=ram$i"
		fi
		rams="$rams${rams:+ }$ram.$i"
		i=$((i + 1))
	done
fi
export TLBBENCH_GUEST_RAM="$rams"

if [ -n "$plugin" ]; then
	case ",$plugin" in *,mem=*) ;; *) plugin="$plugin,mem=$ram.0" ;; esac
	case ",$plugin" in *,out=*) ;; *) plugin="$plugin,out=$run/tlbsim.jsonl" ;; esac
	set -- "$@" -plugin "$plugin"
fi
if [ "$console" = 1 ]; then
	set -- "$@" -chardev "stdio,id=con,signal=on,logfile=$run/console.log" -serial chardev:con
else
	set -- "$@" -serial "file:$run/console.log"
fi
for a in ${QEMU_EXTRA:-}; do
	a=$(printf '%s' "$a" | sed "s|@RAM@|$ram.0|g; s|@RUN@|$run|g")
	set -- "$@" "$a"
done

set -- qemu-system-aarch64 -M "$machine" "$@" -smp "$smp" -m "${mem_mb}M" \
	-kernel "$kdir/Image" -initrd "$ram.initrd" -append "$kargs" \
	-nodefaults -display none -monitor none -no-reboot \
	-fsdev "local,id=results,path=$run,security_model=none" \
	-device virtio-9p-pci,fsdev=results,mount_tag=results \
	-device pvpanic-pci -action panic=exit-failure
printf '%s\n' "$@" > "$run/qemu-args"

echo "boot $variant: $accel, cpu $cpu, $smp vCPU, ${mem_mb}M in $numa node(s), timeout ${tmo}s -> $run"
rc=0 vrc=0
timeout -k 10 "$tmo" "$@" < /dev/null 2> "$run/qemu.log" || rc=$?

result=$("$here/verdict.sh" "$run" "$rc" "$tmo") || vrc=$?
echo "$result" > "$run/boot-result"
[ ! -s "$run/job.log" ] || sed 's/^/  | /' "$run/job.log"
echo "boot $variant: $result"
exit "$vrc"
