#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# check_records.py - assert on the JSON Lines the integrity stress wrote:
# one start record, then phase records numbered from 0 with their
# operation counts rising, then one end record whose totals are the
# phases' (operations done, corrupt bytes), so every phase was appended as
# it was taken and none is missing.  Prints nothing and exits 0 when the
# file holds up; else the reason on stderr and exit 1.
#
# Usage: check_records.py FILE.jsonl
import json
import sys


def fail(msg):
    print(f"check_records: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            recs = [json.loads(line) for line in f]
    except (OSError, json.JSONDecodeError) as e:
        fail(f"{path}: {e}")
    if not recs or recs[0].get("type") != "start":
        fail(f"{path}: the first record is not the start record")
    if recs[-1].get("type") != "end":
        fail(f"{path}: no end record (the stress died)")
    phases = recs[1:-1]
    ops = corrupt = 0
    for n, p in enumerate(phases):
        if p.get("type") != "phase" or p.get("phase") != n:
            fail(f"{path}:{n + 2}: expected phase {n}, got {p.get('type')} {p.get('phase')}")
        if p["ops"] <= ops:
            fail(f"{path}:{n + 2}: ops {p['ops']} after {ops}")
        ops = p["ops"]
        corrupt += p["corrupt_bytes"]
    end = recs[-1]
    if end["phases"] != len(phases) or end["ops"] != ops:
        fail(f"{path}: end says {end['phases']} phases, {end['ops']} ops; "
             f"the phase records {len(phases)}, {ops}")
    if end["corrupt_bytes"] != corrupt:
        fail(f"{path}: end says {end['corrupt_bytes']} corrupt bytes, the phases {corrupt}")


if __name__ == "__main__":
    main()
