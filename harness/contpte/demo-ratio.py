#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The ratio make contpte-demo prints: L1D and L2 TLB refills per load of the
measured tlb_reach repetitions with contpte off (samples-0.jsonl) and on
(samples-1.jsonl) in RUN-DIR, and off/on; then the debugfs counters of
folding and unfolding each run moved (stats-<state>-{before,after}.txt)."""
import json
import sys

EVENTS = ("l1d_tlb_refill", "l2d_tlb_refill", "dtlb_walk")


def per_load(path):
    sums = dict.fromkeys(EVENTS, 0)
    ops = 0
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("type") != "sample" or rec.get("phase") != "measure":
                continue
            ops += rec["ops"]
            for e in EVENTS:
                sums[e] += rec["counters"][e]["total"]
    if not ops:
        sys.exit(f"{path}: no measured sample")
    return {e: sums[e] / ops for e in EVENTS}


def stats(path):
    with open(path) as f:
        return {k: int(v) for k, v in (line.split() for line in f)}


def main():
    run = sys.argv[1]
    off, on = per_load(f"{run}/samples-0.jsonl"), per_load(f"{run}/samples-1.jsonl")
    print("contpte-demo: tlb_reach bytes=16M accesses=200000 order=random backing=anon-thp-pte")
    print(f"  {'event':16} {'off /load':>12} {'on /load':>12} {'off/on':>8}")
    for e in EVENTS:
        ratio = off[e] / on[e] if on[e] else float("inf")
        print(f"  {e:16} {off[e]:12.5f} {on[e]:12.5f} {ratio:7.1f}x")
    for state, name in (("1", "on"), ("0", "off")):
        before = stats(f"{run}/stats-{state}-before.txt")
        after = stats(f"{run}/stats-{state}-after.txt")
        moved = {k: after[k] - before.get(k, 0) for k in after
                 if k != "folded_now" and after[k] != before.get(k, 0)}
        print(f"  contpte {name}: folded_now {before['folded_now']} -> {after['folded_now']}, moved: "
              + (", ".join(f"{k} +{v}" for k, v in sorted(moved.items())) or "nothing"))


if __name__ == "__main__":
    main()
