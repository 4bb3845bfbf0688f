#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# verdict.py - the verdict cries wolf neither way (make test-verdict, part
# of make test).
#
# Three kernels under the deterministic setup with the TLB model and
# tests/tlbsim/determinism.plan (faults, a TLB-bound loop, fork, mprotect,
# munmap): baseline; aa-prefix, baseline plus a patch that changes no hot
# path but moves kernel code and changes the release string (so the boot's
# entropy): an A/A pair whose exact counts differ by a refill here and
# there; and seeded-flush, baseline plus one needless flush_tlb_page() per
# anonymous fault.  Then, with tlbbench compare at its defaults:
#  - aa-prefix against baseline: "no significant regression" (exit 0);
#  - seeded-flush against baseline: regressions (exit 1), one of them in
#    tlbi_va of the fault workload, and every regressed run is one whose
#    measured loop takes page faults on baseline: flagged where it hurts
#    and nowhere else.
# make test has booted baseline and aa-prefix on this plan already
# (test-tlbsim-determinism, test-aa): --reuse VARIANT=DIR takes those
# results instead of booting again, so only seeded-flush boots here.
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

VARIANTS = ("baseline", "aa-prefix", "seeded-flush")


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
    ap.add_argument("--reuse", action="append", default=[], metavar="VARIANT=DIR",
                    help="results of VARIANT on this plan already taken (samples.jsonl)")
    a = ap.parse_args()
    suite = Suite("verdict")
    skip = missing(VARIANTS)
    if skip:
        suite.skip("verdict", skip)
        return suite.end()
    shutil.rmtree(a.workdir, ignore_errors=True)
    d = {v: os.path.join(a.workdir, v) for v in VARIANTS}
    for r in a.reuse:
        v, _, path = r.partition("=")
        if v in d and os.path.isfile(os.path.join(path, "samples.jsonl")):
            d[v] = path
            print("verdict: %s: the results in %s" % (v, path), flush=True)
    boot = [v for v in VARIANTS if d[v].startswith(a.workdir)]
    print("verdict: booting %s under the deterministic setup" % ", ".join(boot),
          flush=True)
    p = subprocess.run(["harness/bench-tcg.sh", a.tlbbench, a.plugin, a.plan,
                        a.workdir] + boot,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=2400)
    if not suite.check("the boots ran the plan (%s)" % ", ".join(boot), p.returncode == 0,
                       "bench-tcg.sh exited %d:\n%s"
                       % (p.returncode, p.stdout.decode(errors="replace")[-3000:])):
        return suite.end()

    rc, rep, err = compare(a.tlbbench, d["baseline"], d["aa-prefix"])
    small = rep["below_floor"] if rep else None
    suite.check("A/A (aa-prefix against baseline): no significant regression "
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
    cycles_predicted(suite, rep, fault)
    return suite.end()


# modelled_cycles (harness/tlbsim/model.c) charges each TLB event its
# latency from the core preset: its change must be the sum of the events'
# changes times those latencies, which the line printed spells out.
CYCLE_TERMS = (("model_instructions", None), ("l2d_tlb", "l2"), ("walk_steps", "walk_step"),
               ("tlbi_all", "tlbi"), ("tlbi_asid", "tlbi"), ("tlbi_va", "tlbi"),
               ("tlbi_vaa", "tlbi"), ("tlbi_range", "tlbi"), ("tlbi_other", "tlbi"),
               ("tlbi_sync_local", "sync_local"), ("tlbi_sync_broadcast", "sync_broadcast"))


def cycles_predicted(suite, rep, fault):
    costs = ((rep["sides"][1].get("env") or {}).get("tlb_model") or {}).get("costs") or {}
    groups = [g for g in rep["groups"] if g["label"] in fault]
    if not suite.check("seeded flush: the model's costs are in the env", costs and groups,
                       "costs %s, fault groups %s" % (costs, fault)):
        return
    g = groups[0]

    def delta(name):
        """The change per operation of the base (compare's per_op_change)."""
        for m in g["metrics"]:
            if m["name"] == name:
                return m["sides"][1].get("per_op_change") or 0
        return 0
    parts, predicted = [], 0.0
    for name, cost in CYCLE_TERMS:
        d = delta(name)
        k = 1 if cost is None else costs.get(cost, 0)
        if d:
            parts.append("%s %+.3g x %g" % (name, d, k))
        predicted += d * k
    got = delta("modelled_cycles")
    print("verdict: seeded flush, %s: modelled_cycles %+.1f per operation; predicted "
          "from the latencies %+.1f = %s" % (g["label"], got, predicted, " + ".join(parts)))
    suite.check("seeded flush: modelled_cycles moves by what the latencies predict",
                abs(got - predicted) <= 1e-6 * max(1.0, abs(got)),
                "modelled_cycles %+g per operation, the latencies predict %+g"
                % (got, predicted))


if __name__ == "__main__":
    sys.exit(main())
