#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# verdict.py - the verdict cries wolf neither way (make test-verdict).
#
# Boots three kernels under the deterministic setup with the TLB model and
# tests/tlbsim/determinism.plan (faults, a TLB-bound loop, fork, mprotect,
# munmap): baseline; ptep-deref, the no-op series whose patch 1 moves
# kernel code (the bench's A/A pair: its counts differ by a refill here and
# there, exactly); and seeded-flush, baseline plus one needless
# flush_tlb_page() per anonymous fault.  Then, with tlbbench compare:
#  - ptep-deref against baseline: "no significant regression" (exit 0);
#  - seeded-flush against baseline: regressions (exit 1), one of them in
#    tlbi_va of the fault workload, and every regressed run is one whose
#    measured loop takes page faults on baseline: flagged where it hurts
#    and nowhere else.
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "tlbsim"))
from result import Suite  # noqa: E402
from linux_guest import missing  # noqa: E402

VARIANTS = ("baseline", "ptep-deref", "seeded-flush")


def compare(tlbbench, base, new):
    p = subprocess.run([tlbbench, "compare", "--format=json", base, new],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, json.loads(p.stdout) if p.stdout else None, p.stderr.decode()


def per_rep(group, name, side):
    for m in group["metrics"]:
        if m["name"] == name:
            return m["sides"][side]["mean"]
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--tlbbench", required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    suite = Suite("verdict")
    skip = missing(VARIANTS)
    if skip:
        suite.skip("verdict", skip)
        return suite.end()
    shutil.rmtree(a.workdir, ignore_errors=True)
    print("verdict: booting %s under the deterministic setup" % ", ".join(VARIANTS),
          flush=True)
    p = subprocess.run(["harness/bench-tcg.sh", a.tlbbench, a.plugin, a.plan,
                        a.workdir] + list(VARIANTS),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=2400)
    if not suite.check("the three boots ran the plan", p.returncode == 0,
                       "bench-tcg.sh exited %d:\n%s"
                       % (p.returncode, p.stdout.decode(errors="replace")[-3000:])):
        return suite.end()
    d = {v: os.path.join(a.workdir, v) for v in VARIANTS}

    rc, rep, err = compare(a.tlbbench, d["baseline"], d["ptep-deref"])
    small = rep["below_floor"] if rep else None
    suite.check("A/A (ptep-deref against baseline): no significant regression "
                "(%s exact differences below the effect floor set aside)" % small,
                rc == 0 and rep and rep["regressions"] == 0,
                "compare exit %d, %s regressions: %s" % (rc, rep and rep["regressions"], err))

    rc, rep, err = compare(a.tlbbench, d["baseline"], d["seeded-flush"])
    if not suite.check("seeded flush: compare finds a regression (exit 1)", rc == 1 and rep,
                       "compare exit %d: %s" % (rc, err)):
        return suite.end()
    flagged = {}
    for g in rep["groups"]:
        names = [m["name"] for m in g["metrics"] if m["sides"][1].get("regression")]
        if names:
            flagged[g["label"]] = (g, names)
    fault = [lbl for lbl, (g, names) in flagged.items()
             if g["workload"] == "fault" and "tlbi_va" in names]
    suite.check("seeded flush: tlbi_va of fault is a regression", bool(fault),
                "regressions: %s" % {k: v[1] for k, v in flagged.items()})
    elsewhere = [lbl for lbl, (g, names) in flagged.items()
                 if per_rep(g, "page-faults", 0) < 1]
    suite.check("seeded flush: nothing flagged in runs that take no page fault "
                "(%d runs flagged)" % len(flagged), not elsewhere,
                "flagged without faults: %s" % {k: flagged[k][1] for k in elsewhere})
    for lbl, (g, names) in sorted(flagged.items()):
        print("verdict: seeded flush flags %s: %s" % (lbl, ", ".join(names)))
    return suite.end()


if __name__ == "__main__":
    sys.exit(main())
