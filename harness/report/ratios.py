#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ratios.py - what contpte buys and costs, as ratios of one comparison.

Usage: ratios.py REPORT.json [--title=T]

REPORT.json is a tlbbench compare report of two sides: the base (contpte
off) and the other (contpte on), from one run each.  Printed per run:
 - TLB reach (tlb_reach): l1d_tlb_refill, l2d_tlb_refill and dtlb_walk as
   "off/on" (how many times fewer with contpte on; the contiguous block
   holds 16 pages, so 16x is the limit), and cont_fills (64K entries the
   model filled), which says whether the TLB saw coalesced entries at all;
 - costs (fault, fork, mprotect, munmap, madvise): instructions and
   modelled_cycles per operation as "on/off" (1.00 is no cost);
 - contiguous against order-0 memory on each side: a workload's cost per
   operation on anon-thp-pte (or another folding backing) over its cost
   on anon-4k with the other options equal (contpte's mprotect target is
   0.6x or less with contpte on).
A ratio of counts that were zero on both sides is "-", one with a zero
side "n/a" (with both values shown)."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_report import load  # noqa: E402

REACH = ("l1d_tlb_refill", "l2d_tlb_refill", "dtlb_walk")
COST = ("instructions", "modelled_cycles")


def means(group, name):
    for m in group["metrics"]:
        if m["name"] == name:
            return m["sides"][0]["mean"], m["sides"][1]["mean"]
    return None


def ratio(a, b):
    if a is None or b is None:
        return "n/a"
    if a == 0 and b == 0:
        return "-"
    if b == 0 or a == 0:
        return "n/a"
    return "%.2fx" % (a / b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    rep = load(a.report, "ratios")
    if len(rep["sides"]) != 2:
        sys.exit("ratios: %s: compare two sides (off, on), not %d" % (a.report, len(rep["sides"])))
    off, on = (s["label"] for s in rep["sides"])
    print("ratios: %s%s on against %s off (%s)" % (a.title + ": " if a.title else "", on, off,
                                                  a.report))
    reach = [g for g in rep["groups"] if g["workload"] == "tlb_reach"]
    cost = [g for g in rep["groups"] if g["workload"] != "tlb_reach"]
    if reach:
        print("\nTLB reach, off/on (times fewer with contpte on):")
        print("  %16s %16s %16s %16s" % (*REACH, "cont_fills"))
        for g in reach:
            cells = [ratio(*(means(g, n) or (None, None))) for n in REACH]
            cf = means(g, "cont_fills")
            print("%s\n  %16s %16s %16s %16s" % (g["label"], *cells,
                                                "%.0f/%.0f" % cf if cf else "n/a"))
    if cost:
        print("\ncosts, on/off per operation (1.00x is no cost):")
        print("  %16s %16s" % COST)
        for g in cost:
            cells = []
            for n in COST:
                v = means(g, n)
                cells.append(ratio(v[1], v[0]) if v else "n/a")
            print("%s\n  %16s %16s" % (g["label"], *cells))
    within(rep, off, on)
    return 0


def within(rep, off, on):
    """Per side: the cost on folding memory over the cost on anon-4k."""
    by_key = {}
    for g in rep["groups"]:
        if g["workload"] == "tlb_reach":
            continue
        opts = dict(g["options"])
        backing = opts.pop("backing", "anon-4k")
        by_key.setdefault((g["workload"], json.dumps(opts, sort_keys=True)), {})[backing] = g
    rows = []
    for (wl, _), gs in sorted(by_key.items()):
        base = gs.get("anon-4k")
        for b, g in sorted(gs.items()):
            if b == "anon-4k" or not base:
                continue
            cells = []
            for k in (0, 1):
                for n in COST:
                    x, y = means(g, n), means(base, n)
                    cells.append(ratio(x[k], y[k]) if x and y else "n/a")
            rows.append(("%s against anon-4k: %s" % (b, g["label"]), cells))
    if rows:
        print("\ncontiguous against order-0 memory, per operation:")
        print("  %16s %16s %16s %16s" % ("%s instr" % off[:10], "%s cycles" % off[:9],
                                          "%s instr" % on[:10], "%s cycles" % on[:9]))
        for label, cells in rows:
            print("%s\n  %16s %16s %16s %16s" % (label, *cells))


if __name__ == "__main__":
    sys.exit(main())
