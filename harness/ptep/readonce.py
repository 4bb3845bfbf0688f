#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# readonce.py - what the plain ptep_deref() read saves against READ_ONCE()
# (make ptep-readonce; the v2 cover letter's "Why not ptep_get()").
#
# Reads the merged samples of two deterministic boots of the same plan
# (harness/bench-tcg.sh: one vCPU, -icount, the TLB model), the plain
# series and the READ_ONCE() variant, and prints per run of the plan the
# guest instructions per operation, user and kernel, on each and their
# difference.  Measured repetitions only; per operation is the sum of the
# counts over the sum of the operations, which under -icount repeats
# exactly from boot to boot.
#
# Usage: readonce.py RUN-DIR PLAIN-VARIANT READ_ONCE-VARIANT
import json
import os
import sys


def runs(path):
    """[(label, {'user': n, 'kernel': n, 'ops': n})] in plan order."""
    out, cur = [], None
    with open(path) as f:
        for r in map(json.loads, f):
            if r["type"] == "env":
                run = r["run"]
                opts = " ".join("%s=%s" % kv for kv in sorted(run["options"].items()))
                cur = {"user": 0, "kernel": 0, "ops": 0}
                out.append(("%s %s" % (run["workload"], opts), cur))
            elif r["type"] == "sample" and r["phase"] == "measure":
                c = r["counters"].get("instructions", {})
                if "user" not in c or "kernel" not in c:
                    sys.exit("readonce: %s: sample %d has no user/kernel instruction counts"
                             % (path, r["seq"]))
                cur["user"] += c["user"]
                cur["kernel"] += c["kernel"]
                cur["ops"] += r["ops"]
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: readonce.py RUN-DIR PLAIN-VARIANT READ_ONCE-VARIANT")
    d, pv, rv = sys.argv[1:]
    a, b = (runs(os.path.join(d, v, "samples.jsonl")) for v in (pv, rv))
    if [l for l, _ in a] != [l for l, _ in b] or not a:
        sys.exit("readonce: the two boots did not run the same plan")
    print("guest instructions per op, %s (plain) vs %s (READ_ONCE)" % (pv, rv))
    print("%-10s %-6s %14s %14s %12s %9s" % ("workload", "level", "plain", "READ_ONCE",
                                            "difference", "%"))
    for (label, x), (_, y) in zip(a, b):
        for lvl in ("user", "kernel"):
            px, py = x[lvl] / x["ops"], y[lvl] / y["ops"]
            pct = 100.0 * (py - px) / px if px else 0.0
            print("%-10s %-6s %14.2f %14.2f %+12.2f %+8.3f%%" % (label.split()[0], lvl,
                                                              px, py, py - px, pct))
        print("  (%s; %d ops)" % (label, x["ops"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
