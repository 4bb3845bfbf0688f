#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# run_determinism_test.py - three deterministic Linux boots give identical
# counts (issue 5).
#
# Runs tests/tlbsim/determinism.plan three times through harness/bench-tcg.sh
# (boot.sh --deterministic: one vCPU, -icount, seeded RNDR, no 9p I/O until
# the job ends, the tlbsim plugin) on one kernel variant, and compares every
# sample record of the merged samples.jsonl field by field: the model's
# counters, user and kernel, the guest PMU's instruction counts, the virtual
# clock.  The first difference is named (run, sample, field, both values).
# Exit status follows kselftest: 0 pass, 1 fail, 4 skip (nothing built).
import argparse
import os
import shutil
import subprocess
import sys

from linux_guest import KSFT_SKIP, missing, samples

RUNS = 3


def first_diff(a, b, path=""):
    """The path and values of the first difference between a and b, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return (path + "." + k, a.get(k, "<absent>"),
                        b.get(k, "<absent>"))
            d = first_diff(a[k], b[k], path + "." + k)
            if d:
                return d
        return None
    return None if a == b else (path, a, b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--tlbbench", required=True, help="host runner, for merge")
    ap.add_argument("--plan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--variant", default="baseline")
    a = ap.parse_args()
    skip = missing([a.variant])
    if skip:
        print(skip)
        return KSFT_SKIP
    shutil.rmtree(a.workdir, ignore_errors=True)
    runs = []
    for i in range(1, RUNS + 1):
        # same-length names: the run folder's name reaches the guest
        run = os.path.join(a.workdir, "run-%d" % i)
        print("determinism: boot %d of %d (%s)" % (i, RUNS, a.variant),
              flush=True)
        p = subprocess.run(["harness/bench-tcg.sh", a.tlbbench, a.plugin,
                            a.plan, run, a.variant],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=900)
        if p.returncode:
            print("FAIL: boot %d: bench-tcg.sh exited %d:\n%s"
                  % (i, p.returncode, p.stdout.decode(errors="replace")))
            return 1
        runs.append(samples(os.path.join(run, a.variant, "samples.jsonl")))
    ref = runs[0]
    modelled = sum(1 for s in ref for c in s["counters"].values()
                   if c.get("source") == "tlbsim")
    if not ref or not modelled:
        print("FAIL: run 1 has %d samples, %d model counters: nothing to "
              "compare" % (len(ref), modelled))
        return 1
    for i, other in enumerate(runs[1:], 2):
        if len(other) != len(ref):
            print("FAIL: run %d has %d samples, run 1 has %d"
                  % (i, len(other), len(ref)))
            return 1
        for s, t in zip(ref, other):
            d = first_diff(s, t)
            if d:
                print("FAIL: run %d differs from run 1 at sample seq %d "
                      "(region %d): %s is %s in run 1, %s in run %d"
                      % (i, s["seq"], s["region"], d[0], d[1], d[2], i))
                return 1
    print("determinism: %d boots, %d samples each, %d model counters per "
          "boot, every field identical" % (RUNS, len(ref), modelled))
    print("test-tlbsim-determinism: pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
