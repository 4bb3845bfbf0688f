#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# bench_tlbsim.py - what the tlbsim plugin costs (make bench-tlbsim).
#
# Runs the same guest work under plain TCG and with the plugin, alternating,
# all under the deterministic flags the suite uses (-icount), and prints per
# row the best CPU time (user + sys of QEMU and its helpers) of each, their
# ratio and the target.  CPU time, not wall time: the host is shared, and a
# busy neighbour stretches wall time but not the CPU QEMU itself used.  It
# includes QEMU's start-up, the same both ways.  Rows:
#
#   hit       bare-metal, 105 M loads, 512 per page: nearly all repeat hits
#   l1-thrash bare-metal, 6.4 M loads cycling 64 pages: each an L1 D-TLB
#             miss and an L2 hit (the 48-entry L1 cannot hold 64)
#   l2-thrash bare-metal, 2 M loads cycling 2048 pages: each a miss of both
#             TLBs and a 4-level walk (8 pages per set of the 5-way L2)
#   linux-boot        boot.sh --deterministic, job "uname -a"
#   linux-tlb_reach   the same boot running the tlb_reach stanza of
#                     plans/quick.plan; the "job only" line is the two rows'
#                     difference, the job without the boot
#
# Each bare-metal row also prints its region's counters, so a row that does
# not thrash as described shows.  Timings are printed, never asserted.
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

RAM = "128M"
ICOUNT = ["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"]
# row: (guest, target ratio, counters shown)
GUESTS = (
    ("hit", "bench-hit.elf", 1.2),
    ("l1-thrash", "bench-l1.elf", 2.0),
    ("l2-thrash", "bench-l2.elf", 2.0),
)


def shown_counters(tlbbench):
    """The model's headline TLB counters, from the counter table
    (tlbbench list --events --json): the region counts printed below."""
    rows = json.loads(subprocess.run([tlbbench, "list", "--events", "--json"],
                                     stdout=subprocess.PIPE, check=True).stdout)
    return [r["name"] for r in rows
            if r["tlb"] and r["headline"] and "model" in r["sources"]]


def qemu_cmd(a, guest, mem, plugin_args):
    c = [a.qemu, "-M", "virt,memory-backend=mem,dtb-randomness=off",
         "-cpu", "max", "-m", RAM, "-smp", "1",
         "-object", "memory-backend-file,id=mem,size=%s,mem-path=%s,share=on"
         % (RAM, mem), "-display", "none", "-serial", "null",
         "-monitor", "none", "-nic", "none", "-no-reboot",
         "-kernel", guest] + ICOUNT
    if plugin_args is not None:
        c += ["-plugin", ",".join([a.plugin, "mem=" + mem] + plugin_args)]
    return c


def timed(c):
    """(CPU seconds, wall seconds) of one run of c and its children."""
    t = time.monotonic()
    p = subprocess.Popen(c, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit("bench-tlbsim: %s exited %d" % (c[0], p.returncode))
    return ru.ru_utime + ru.ru_stime, wall


class Best:
    def __init__(self):
        self.cpu = {"plain": 1e9, "plugin": 1e9}
        self.wall = {"plain": 1e9, "plugin": 1e9}

    def add(self, kind, t):
        self.cpu[kind] = min(self.cpu[kind], t[0])
        self.wall[kind] = min(self.wall[kind], t[1])

    def ratio(self):
        return self.cpu["plugin"] / self.cpu["plain"]


def row(name, b, target):
    r = b.ratio()
    verdict = ""
    if target:
        verdict = "meets %.1fx" % target if r <= target else \
            "ABOVE %.1fx" % target
    print("%-16s %8.3f %8.3f %6.2fx %6.2fx  %s" % (
        name, b.cpu["plain"], b.cpu["plugin"], r,
        b.wall["plugin"] / b.wall["plain"], verdict), flush=True)


def region_counters(path, shown):
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "region":
                return {c: r["counters"][c]["kernel"] for c in shown
                        if c in r["counters"]}
    return None


def bare_metal(a, name, elf, target):
    out = os.path.join(a.workdir, name + ".jsonl")
    guest = os.path.join(a.guests, elf)
    b = Best()
    with tempfile.NamedTemporaryFile(dir="/dev/shm", prefix="tlbsim-") as m:
        for _ in range(a.reps):
            b.add("plain", timed(qemu_cmd(a, guest, m.name, None)))
            b.add("plugin", timed(qemu_cmd(a, guest, m.name,
                                           ["out=" + out] + a.plugin_args)))
    row(name, b, target)
    return name, region_counters(out, a.shown)


def quick_tlb_reach(path, dest):
    """The global keys and the tlb_reach stanza of a plan, as a plan."""
    head, stanzas, cur = [], [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("workload="):
                cur = [line]
                stanzas.append(cur)
            elif cur is None:
                head.append(line)
            else:
                cur.append(line)
    reach = [s for s in stanzas if s[0] == "workload=tlb_reach"]
    if not reach:
        raise SystemExit("bench-tlbsim: %s has no tlb_reach stanza" % path)
    with open(dest, "w") as f:
        f.write("\n".join(head + [""] + reach[0]) + "\n")
    return " ".join(reach[0][1:])


def linux_boot(a, name, job):
    b = Best()
    for i in range(a.reps):
        for kind in ("plain", "plugin"):
            run = os.path.join(os.path.abspath(a.workdir),
                               "%s-%s-%d" % (name, kind, i))
            shutil.rmtree(run, ignore_errors=True)
            c = ["harness/vm/boot.sh", "--deterministic", "--run-dir", run]
            if job:
                c += ["--job", job]
            if kind == "plugin":
                c += ["--plugin", ",".join([a.plugin] + a.plugin_args)]
            b.add(kind, timed(c + [a.variant]))
    return b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--plugin-args", default="",
                    help="more plugin arguments, comma-separated (core=...)")
    ap.add_argument("--guests", required=True,
                    help="folder of bench-{hit,l1,l2}.elf")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--plan", default="plans/quick.plan")
    ap.add_argument("--variant", default="baseline")
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--tlbbench", required=True,
                    help="host runner: its counter table names what is shown")
    a = ap.parse_args()
    a.plugin_args = [x for x in a.plugin_args.split(",") if x]
    a.shown = shown_counters(a.tlbbench)
    os.makedirs(a.workdir, exist_ok=True)
    print("best of %d, CPU seconds (user + sys), -icount; wall ratio for "
          "reference" % a.reps)
    print("%-16s %8s %8s %7s %7s  %s" % ("row", "plain", "plugin", "ratio",
                                         "wall", "target"))
    counts = [bare_metal(a, *g) for g in GUESTS]

    image = os.path.join(a.build, "kernels", a.variant, "Image")
    if os.path.exists(image):
        plan = os.path.join(os.path.abspath(a.workdir), "tlb_reach.plan")
        what = quick_tlb_reach(a.plan, plan)
        job = os.path.join(os.path.abspath(a.workdir), "tlb_reach.job")
        with open(job, "w") as f:
            f.write("cat > /tmp/run.plan <<'TLBBENCH_PLAN'\n")
            with open(plan) as p:
                f.write(p.read())
            f.write("TLBBENCH_PLAN\n/bin/tlbbench plan /tmp/run.plan "
                    "--out=samples.jsonl\n")
        boot = linux_boot(a, "linux-boot", None)
        row("linux-boot", boot, None)
        reach = linux_boot(a, "linux-tlb_reach", job)
        row("linux-tlb_reach", reach, None)
        plain = reach.cpu["plain"] - boot.cpu["plain"]
        plug = reach.cpu["plugin"] - boot.cpu["plugin"]
        if plain > 0:
            print("%-16s %8.3f %8.3f %6.2fx %7s  job only: %s" % (
                "  tlb_reach job", plain, plug, plug / plain, "",
                re.sub(r"\s+", " ", what)))
    else:
        print("linux rows: skipped, %s not built (make kernel K=%s)"
              % (image, a.variant))
    for name, c in counts:
        print("%s region: %s" % (name, ", ".join(
            "%s %d" % kv for kv in (c or {}).items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
