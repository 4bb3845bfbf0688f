#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# run_linux_test.py - tlbsim over a Linux 6.1 guest (harness/vm/boot.sh).
#
# Boots the baseline kernel twice, contpte=on and contpte=off, with check=on,
# and runs tlb_reach on hugetlb-64k pages (CONT PTEs in 6.1) under the
# runner, which marks each repetition with tlbsim_region.h.  Asserts on the
# plugin's JSON: every data translation of the boot agrees with QEMU's
# (check_mismatch 0, walk_faults 0), every repetition produced a region,
# and with contpte=on the repetitions refill the L1 D-TLB far less often
# than with contpte=off, where the walks see the contiguous bit.
# Exit status follows kselftest: 0 pass, 1 fail, 4 skip (no kernel built).
import argparse
import json
import os
import shutil
import subprocess
import sys

from linux_guest import KSFT_SKIP, missing
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from result import Suite  # noqa: E402  (tests/lib/result.py)
REPS, WARMUP, ACCESSES = 2, 1, 20000
JOB = ("tlbbench run tlb_reach --bytes=4M --accesses=%d --order=random "
       "--backing=hugetlb-64k --reps=%d --warmup=%d "
       "--out=/results/samples.jsonl" % (ACCESSES, REPS, WARMUP))

suite = Suite("tlbsim-linux")


def check(cond, what):
    """One test: counted as it ends (tests/lib/result.py)."""
    suite.check(what, cond)


def boot(a, contpte):
    run = os.path.join(os.path.abspath(a.workdir), "contpte-" + contpte)
    shutil.rmtree(run, ignore_errors=True)
    p = subprocess.run(["harness/vm/boot.sh", "--deterministic",
                        "--append", "norandmaps", "--hugepages", "64K:128",
                        "--plugin", "%s,contpte=%s,check=on" % (a.plugin, contpte),
                        "--run-dir", run, "--cmd", JOB, a.variant],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=900)
    check(p.returncode == 0, "contpte=%s: boot.sh exited %d: %s"
          % (contpte, p.returncode, p.stdout.decode(errors="replace")))
    with open(os.path.join(run, "tlbsim.jsonl")) as f:
        return [json.loads(line) for line in f]


def user(rec, name):
    return rec["counters"][name]["user"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--variant", default="baseline")
    a = ap.parse_args()
    skip = missing([a.variant])
    if skip:
        suite.skip("linux guest", skip)
        suite.end()
        return KSFT_SKIP
    os.makedirs(a.workdir, exist_ok=True)

    refills = {}
    for contpte in ("on", "off"):
        recs = boot(a, contpte)
        total = recs[-1]
        check(recs[0]["type"] == "model" and total["type"] == "total",
              "contpte=%s: model and total records" % contpte)
        mism = sum(total["counters"]["check_mismatch"].values())
        compared = sum(total["counters"]["check_compared"].values())
        faults = sum(total["counters"]["walk_faults"].values())
        check(mism == 0 and compared > 1000000,
              "contpte=%s: %d mismatches in %d compared" % (contpte, mism, compared))
        check(faults == 0, "contpte=%s: %d walk faults" % (contpte, faults))
        regs = [r for r in recs if r["type"] == "region"
                and r["label"] == "tlb_reach"]
        check(len(regs) == REPS + WARMUP, "contpte=%s: %d regions, want %d"
              % (contpte, len(regs), REPS + WARMUP))
        for r in regs:
            check(user(r, "l1d_tlb") >= ACCESSES,
                  "contpte=%s: region %d has %d user accesses"
                  % (contpte, r["id"], user(r, "l1d_tlb")))
        refills[contpte] = sum(user(r, "l1d_tlb_refill") for r in regs)
        if contpte == "off":
            check(sum(user(r, "walk_cont") for r in regs) > 0,
                  "contpte=off: the walks saw contiguous PTEs")
        print("contpte=%s: %d regions, user l1d_tlb_refill %d, "
              "check %d compared, %d mismatches"
              % (contpte, len(regs), refills[contpte], compared, mism))
    check(refills.get("on", 1) * 2 < refills.get("off", 0),
          "contpte=on refills (%s) well below contpte=off (%s)"
          % (refills.get("on"), refills.get("off")))
    return suite.end()


if __name__ == "__main__":
    sys.exit(main())
