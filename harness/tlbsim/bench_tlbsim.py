#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# bench_tlbsim.py - slowdown of the tlbsim plugin (make bench-tlbsim).
#
# Boots the benchmark build of the bare-metal guest (a 4 MiB buffer behind
# 1024 4K PTEs, summed word by word: one load per ~5 instructions) with and
# without the plugin, alternating, and prints the best wall time of each and
# their ratio, under the deterministic flags the suite uses (-icount) and
# without them.  Wall time includes QEMU start-up (tens of ms).  When the
# kernel pipeline has built build/kernels/baseline/Image, it also times a
# deterministic Linux boot (harness/vm/boot.sh, job "uname -a") both ways.
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

RAM = "128M"
ICOUNT = ["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"]


def cmd(a, mem, extra, plugin_args):
    c = [a.qemu, "-M", "virt,memory-backend=mem,dtb-randomness=off",
         "-cpu", "max", "-m", RAM, "-smp", "1",
         "-object", "memory-backend-file,id=mem,size=%s,mem-path=%s,share=on"
         % (RAM, mem), "-display", "none", "-serial", "null",
         "-monitor", "none", "-nic", "none", "-no-reboot",
         "-kernel", a.guest] + extra
    if plugin_args is not None:
        c += ["-plugin", ",".join([a.plugin, "mem=" + mem] + plugin_args)]
    return c


def timed(c):
    t = time.monotonic()
    subprocess.run(c, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600)
    return time.monotonic() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    out = os.path.join(a.workdir, "bench.jsonl")
    print("%-18s %9s %9s %7s" % ("mode", "plain_s", "plugin_s", "ratio"))
    for mode, extra in (("icount", ICOUNT), ("no-icount", [])):
        for pargs, label in ((["out=" + out], ""),
                             (["out=" + out, "check=on"], "+check")):
            best = {"plain": 1e9, "plugin": 1e9}
            with tempfile.NamedTemporaryFile(dir="/dev/shm",
                                             prefix="tlbsim-") as m:
                for _ in range(a.reps):
                    best["plain"] = min(best["plain"],
                                        timed(cmd(a, m.name, extra, None)))
                    best["plugin"] = min(best["plugin"],
                                         timed(cmd(a, m.name, extra, pargs)))
            print("%-18s %9.3f %9.3f %6.2fx" % (mode + label, best["plain"],
                  best["plugin"], best["plugin"] / best["plain"]))
    image = os.path.join(a.build, "kernels", "baseline", "Image")
    if os.path.exists(image):
        best = {"plain": 1e9, "plugin": 1e9}
        for i in range(a.reps):
            for kind in ("plain", "plugin"):
                run = os.path.join(os.path.abspath(a.workdir),
                                   "boot-%s-%d" % (kind, i))
                shutil.rmtree(run, ignore_errors=True)
                c = ["harness/vm/boot.sh", "--deterministic", "--run-dir", run]
                if kind == "plugin":
                    c += ["--plugin", a.plugin]
                best[kind] = min(best[kind], timed(c + ["baseline"]))
        print("%-18s %9.3f %9.3f %6.2fx" % ("linux-boot", best["plain"],
              best["plugin"], best["plugin"] / best["plain"]))
    else:
        print("linux-boot: skipped, %s not built (make kernel K=baseline)"
              % image)
    with open(out) as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "region":
                print("bench region: l1d_tlb %d, l1d_tlb_refill %d, "
                      "dtlb_walk %d" % tuple(r["counters"][c]["kernel"] for c in
                                             ("l1d_tlb", "l1d_tlb_refill",
                                              "dtlb_walk")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
