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

from linux_guest import KSFT_SKIP, first_diff, missing, samples
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from result import Suite  # noqa: E402  (tests/lib/result.py)

RUNS = 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--tlbbench", required=True, help="host runner, for merge")
    ap.add_argument("--plan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--variant", default="baseline")
    a = ap.parse_args()
    suite = Suite("tlbsim-determinism")
    skip = missing([a.variant])
    if skip:
        suite.skip("determinism", skip)
        suite.end()
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
        if not suite.check("boot %d of %d" % (i, RUNS), p.returncode == 0,
                           "bench-tcg.sh exited %d:\n%s"
                           % (p.returncode, p.stdout.decode(errors="replace"))):
            return suite.end()
        runs.append(samples(os.path.join(run, a.variant, "samples.jsonl")))
    ref = runs[0]
    modelled = sum(1 for s in ref for c in s["counters"].values()
                   if c.get("source") == "tlbsim")
    if not suite.check("run 1 has samples with model counters", ref and modelled,
                       "run 1 has %d samples, %d model counters: nothing to "
                       "compare" % (len(ref), modelled)):
        return suite.end()
    for i, other in enumerate(runs[1:], 2):
        if not suite.check("run %d has as many samples as run 1" % i,
                           len(other) == len(ref), "run %d has %d samples, run 1 has %d"
                           % (i, len(other), len(ref))):
            continue
        diffs = [(s, first_diff(s, t)) for s, t in zip(ref, other)]
        diffs = [(s, d) for s, d in diffs if d]
        s, d = diffs[0] if diffs else (None, None)
        suite.check("run %d equals run 1 in every field of every sample" % i, not diffs,
                    d and "differs at sample seq %d (region %d): %s is %s in run 1, "
                    "%s in run %d" % (s["seq"], s["region"], d[0], d[1], d[2], i))
    if not suite.failed:
        print("determinism: %d boots, %d samples each, %d model counters per "
              "boot, every field identical" % (RUNS, len(ref), modelled))
    return suite.end()


if __name__ == "__main__":
    sys.exit(main())
