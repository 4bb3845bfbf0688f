#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The trade-off of a sweep, from the comparison of its values.

Reads the compare JSON of a sweep (one side per knob value, the first the
reference) and writes the points plots/plot.py sweep draws:

  [{"value": "<knob value>",
    "cost":    {"<workload options> time (ns/op)": median, ...},
    "benefit": {"<workload options> <counter> saved": reference - mean, ...}}]

Cost is the time per operation of every workload but tlb_reach (fault,
fork, mprotect, ...: what folding and unfolding may cost); benefit is the
TLB refills and walks tlb_reach saves against the first value: the
metrics the report marks "tlb" and "headline" with direction "lower" (the
counter table's facts, carried by compare), in the report's order.
Prints a text table of the same numbers on stdout.

Usage: sweep-points.py KNOB REPORT.json SWEEP.json
"""
import compare_report
import json
import sys


def die(msg):
    sys.exit("sweep-points: " + msg)


def saving(m):
    """A TLB miss counter the report shows: fewer is the benefit."""
    return m["tlb"] and m["headline"] and m["direction"] == "lower" and not m["zero"]


def main():
    if len(sys.argv) != 4:
        die("usage: sweep-points.py KNOB REPORT.json SWEEP.json")
    knob, src, dst = sys.argv[1:]
    report = compare_report.load(src, "sweep-points")
    sides = [s["label"] for s in report["sides"]]
    points = [{"value": v, "cost": {}, "benefit": {}} for v in sides]
    rows = []
    for g in report["groups"]:
        metrics = {m["name"]: m for m in g["metrics"]}
        if g["workload"] == "tlb_reach":
            for m in filter(saving, g["metrics"]):
                name = m["name"]
                ref = m["sides"][0]["mean"]
                key = "%s %s saved" % (g["label"], name)
                for p, s in zip(points, m["sides"]):
                    p["benefit"][key] = ref - s["mean"]
                rows.append((g["label"], name, [s["mean"] for s in m["sides"]]))
        elif "time" in metrics:
            key = "%s time (ns/op)" % g["label"]
            for p, s in zip(points, metrics["time"]["sides"]):
                p["cost"][key] = s["median"]
            rows.append((g["label"], "time ns/op",
                         [s["median"] for s in metrics["time"]["sides"]]))
    if not any(p["benefit"] for p in points):
        die("%s: no tlb_reach TLB counters: nothing saved to weigh" % src)
    with open(dst, "w") as f:
        json.dump(points, f, indent=1)
        f.write("\n")
    print("sweep of %s: %s (first value is the reference)" % (knob, ", ".join(sides)))
    for label, metric, vals in rows:
        print("%s\n  %-16s %s" % (label, metric,
                                 " ".join("%12.2f" % v if v is not None else "%12s" % "-"
                                          for v in vals)))


main()
