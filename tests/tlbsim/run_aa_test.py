#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# run_aa_test.py - the exact A/A: identical code gives identical counts,
# end to end.
#
# aa-prefix is the 6.1 base plus ptep-deref's patches 1-2 (the first two
# that change code on purpose); aa-series adds patches 3-6, which leave
# every object as it was (the object identity proof, harness/ptep).  The two variants share one release
# suffix (localversion=) and the pipeline fixes every build stamp, so:
#   1. the two Images must be byte-identical (else: the first offset that
#      differs), and then
#   2. booted under the deterministic setup (harness/bench-tcg.sh: one
#      vCPU, -icount, seeded RNDR, no 9p I/O during the job, the TLB
#      model) with tests/tlbsim/determinism.plan, every field of every
#      sample must be equal: every counter, user and kernel, the model's
#      and the guest's, and the virtual clock.
# A difference in 2 with identical Images is nondeterminism in the setup;
# a difference in 1 is a patch that changes code, or a build stamp.
# Exit status follows kselftest: 0 pass, 1 fail, 4 skip (a kernel not built).
import argparse
import os
import shutil
import subprocess
import sys

from linux_guest import KSFT_SKIP, first_diff, missing, samples
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from result import Suite  # noqa: E402  (tests/lib/result.py)

# equal-length names: the run folder's name reaches the guest
VARIANTS = ("aa-prefix", "aa-series")


def first_byte_diff(a, b):
    with open(a, "rb") as f, open(b, "rb") as g:
        x, y = f.read(), g.read()
    if x == y:
        return None
    n = min(len(x), len(y))
    i = next((i for i in range(n) if x[i] != y[i]), n)
    return "%d and %d bytes, first difference at offset %d" % (len(x), len(y), i)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--tlbbench", required=True, help="host runner, for merge")
    ap.add_argument("--plan", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    suite = Suite("aa")
    skip = missing(VARIANTS)
    if skip:
        suite.skip("aa", skip)
        suite.end()
        return KSFT_SKIP
    build = os.environ.get("BUILD", "build")
    images = [os.path.join(build, "kernels", v, "Image") for v in VARIANTS]
    d = first_byte_diff(*images)
    if not suite.check("the Images of %s are byte-identical" % " and ".join(VARIANTS),
                       d is None, d):
        return suite.end()
    shutil.rmtree(a.workdir, ignore_errors=True)
    print("aa: booting %s under the deterministic setup" % " and ".join(VARIANTS),
          flush=True)
    p = subprocess.run(["harness/bench-tcg.sh", a.tlbbench, a.plugin, a.plan,
                        a.workdir] + list(VARIANTS),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=1800)
    if not suite.check("both boots ran the plan", p.returncode == 0,
                       "bench-tcg.sh exited %d:\n%s"
                       % (p.returncode, p.stdout.decode(errors="replace"))):
        return suite.end()
    sa, sb = (samples(os.path.join(a.workdir, v, "samples.jsonl")) for v in VARIANTS)
    if not suite.check("as many samples on both (%d)" % len(sa),
                       sa and len(sa) == len(sb),
                       "%d samples on %s, %d on %s" % (len(sa), VARIANTS[0],
                                                       len(sb), VARIANTS[1])):
        return suite.end()
    counters = sum(len(s["counters"]) for s in sa)
    diffs = [(s, first_diff(s, t)) for s, t in zip(sa, sb)]
    diffs = [(s, d) for s, d in diffs if d]
    s, d = diffs[0] if diffs else (None, None)
    suite.check("every field of every sample equal (%d samples, %d counters)"
                % (len(sa), counters), not diffs,
                d and "%d samples differ; the first, seq %d: %s is %s on %s, %s on %s"
                % (len(diffs), s["seq"], d[0], d[1], VARIANTS[0], d[2], VARIANTS[1]))
    return suite.end()


if __name__ == "__main__":
    sys.exit(main())
