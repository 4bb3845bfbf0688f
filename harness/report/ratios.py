#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ratios.py - what contpte buys and costs, as ratios of one comparison.

Usage: ratios.py REPORT.json [--title=T]

REPORT.json is a tlbbench compare report of two sides: the base (contpte
off) and the other (contpte on), from one run each.  The metrics are the
report's own headline metrics (the counter table decides which), so
nothing here names a counter.  Printed per run:
 - TLB reach (tlb_reach): every headline TLB count that should fall
   (refills, walks) as "off/on", how many times fewer with contpte on
   (a block holds 16 pages, so 16x is the limit), and the neutral ones
   (the model's 64K fills) as off -> on;
 - costs (fault, fork, mprotect, munmap, ...): every headline metric
   that should fall (time, instructions, modelled cycles, TLB events) as
   "on/off" per operation, 1.00x being no cost;
 - contiguous against order-0 memory on each side: a workload's cost on
   a folding backing over its cost on anon-4k with the other options equal
   (contpte's mprotect target is 0.6x or less with contpte on).
A metric zero on both sides is left out; a ratio with one zero side is
"n/a", with both values shown."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_report import load  # noqa: E402


def headline(group, tlb=None, direction=None):
    """The group's headline metrics (totals, not the :user/:kernel split)."""
    for m in group["metrics"]:
        if not m["headline"] or ":" in m["name"] or m["zero"]:
            continue
        if tlb is not None and m["tlb"] != tlb:
            continue
        if direction is not None and m["direction"] != direction:
            continue
        yield m


def mean(m, k):
    return m["sides"][k]["mean"]


def ratio(a, b):
    if a is None or b is None or a == 0 or b == 0:
        return "n/a"
    return "%.2fx" % (a / b)


def row(name, how, off, on):
    """One metric: the ratio the section asks for, and off -> on."""
    r = {"off/on": ratio(off, on), "on/off": ratio(on, off)}.get(how, "")
    return "  %-22s %-7s %9s   (%.6g -> %.6g)" % (name, how or "", r, off, on)


def reach(g):
    out = [g["label"]]
    for m in headline(g, tlb=True, direction="lower"):
        out.append(row(m["name"], "off/on", mean(m, 0), mean(m, 1)))
    for m in headline(g, tlb=True, direction="neutral"):
        out.append(row(m["name"], None, mean(m, 0), mean(m, 1)))
    return out


def cost(g):
    out = [g["label"]]
    for m in headline(g, direction="lower"):
        out.append(row(m["name"], "on/off", mean(m, 0), mean(m, 1)))
    return out


def within(rep, off, on):
    """Per side: the cost on folding memory over the cost on anon-4k."""
    by_key = {}
    for g in rep["groups"]:
        if g["workload"] == "tlb_reach":
            continue
        opts = dict(g["options"])
        backing = opts.pop("backing", "anon-4k")
        by_key.setdefault((g["workload"], json.dumps(opts, sort_keys=True)), {})[backing] = g
    out = []
    for _, gs in sorted(by_key.items()):
        base = gs.get("anon-4k")
        for b, g in sorted(gs.items()):
            if b == "anon-4k" or not base:
                continue
            base_m = {m["name"]: m for m in base["metrics"]}
            out.append("%s, over anon-4k" % g["label"])
            for m in headline(g, direction="lower"):
                if m["name"] in base_m:
                    x = base_m[m["name"]]
                    out.append("  %-22s %s %9s   %s %9s" % (
                        m["name"], off[:12], ratio(mean(m, 0), mean(x, 0)),
                        on[:12], ratio(mean(m, 1), mean(x, 1))))
    return out


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
    sections = (
        ("TLB reach, off/on: times fewer with it on",
         [line for g in rep["groups"] if g["workload"] == "tlb_reach" for line in reach(g)]),
        ("costs, on/off per operation: 1.00x is no cost",
         [line for g in rep["groups"] if g["workload"] != "tlb_reach" for line in cost(g)]),
        ("contiguous against order-0 memory, per side", within(rep, off, on)),
    )
    for title, lines in sections:
        if lines:
            print("\n%s:" % title)
            print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
