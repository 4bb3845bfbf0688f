#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The ratio make contpte-demo prints: the model's headline TLB events (from
the counter table, tlbbench list --events --json: refills, walks, 64K
fills) per load of the measured tlb_reach repetitions with contpte off
(samples-0.jsonl) and on (samples-1.jsonl) in RUN-DIR, and off/on; then
the debugfs counters of folding and unfolding each run moved
(stats-<state>-{before,after}.txt).

Usage: demo-ratio.py TLBBENCH RUN-DIR"""
import json
import subprocess
import sys


def table_events(tlbbench):
    rows = json.loads(subprocess.run([tlbbench, "list", "--events", "--json"],
                                     stdout=subprocess.PIPE, check=True).stdout)
    return [r["name"] for r in rows if r["tlb"] and r["headline"] and "model" in r["sources"]]


EVENTS = ()


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
                sums[e] += rec["counters"].get(e, {}).get("total") or 0
    if not ops:
        sys.exit(f"{path}: no measured sample")
    return {e: sums[e] / ops for e in EVENTS}


def stats(path):
    with open(path) as f:
        return {k: int(v) for k, v in (line.split() for line in f)}


def main():
    global EVENTS
    EVENTS = table_events(sys.argv[1])
    run = sys.argv[2]
    off, on = per_load(f"{run}/samples-0.jsonl"), per_load(f"{run}/samples-1.jsonl")
    print("contpte-demo: tlb_reach bytes=16M accesses=200000 order=random backing=anon-thp-pte")
    print(f"  {'event':16} {'off /load':>12} {'on /load':>12} {'off/on':>8}")
    for e in EVENTS:
        if not off[e] and not on[e]:
            continue
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
