#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# cases.py - the runs of the workload matrix, from the registry as
# "tlbbench list --json" prints it, so a new workload (its file and its
# registry line) is in the matrix without an edit here.  One line per run
# on stdout, for matrix.sh to read:
#
#   WORKLOAD BACKING TAG [--OPTION=VALUE ...]      (TAG "-" when none)
#
# Every workload with a "backing" option runs on each backing it offers;
# the first with "tmpfs_huge" also on tmpfs with each other huge= mode
# (TAG the mode); one with "threads" also with two threads on its default
# backing (TAG "threads").  Options are the workload's defaults but for those
# named in QUICK, made small so the whole matrix stays short, and
# "range", partial where the backing can be split.
#
# Usage: cases.py LIST.json
import json
import sys

# by option name, whatever the workload: small enough for TCG
QUICK = {"bytes": "2M", "accesses": "10000", "toggles": "2", "forks": "2"}

# A partial change on anon-thp splits the THP, so the next repetition of
# these would measure anon-thp-pte: whole ranges there.
WHOLE_ON_THP = {"mprotect", "madvise"}

# threaded runs on another backing than the default: shootdowns of PTE-mapped THP
THREADED_ON = {"mprotect": "anon-thp-pte"}


def choices(opt):
    """The values of an enum option: its type reads "enum a|b|c"."""
    kind, _, values = opt["type"].partition(" ")
    return values.split("|") if kind == "enum" else []


def range_for(workload, backing):
    if backing.startswith("hugetlb-"):
        return "whole"  # a hugetlb page cannot be split
    if backing == "anon-thp" and workload in WHOLE_ON_THP:
        return "whole"
    return "partial"


def case(w, backing, tag, extra=()):
    opts = {o["name"]: o for o in w["options"]}
    args = [f"--{name}={value}" for name, value in QUICK.items() if name in opts]
    if "range" in opts:
        args.append(f"--range={range_for(w['name'], backing)}")
    return " ".join([w["name"], backing, tag or "-", *args, *extra])


def cases(registry):
    huge_modes_done = False
    for w in registry:
        opts = {o["name"]: o for o in w["options"]}
        if "backing" not in opts:
            continue  # not a memory workload (kbuild): not a backing matrix
        for b in choices(opts["backing"]):
            yield case(w, b, None)
        if "tmpfs_huge" in opts and not huge_modes_done:
            huge_modes_done = True
            for mode in choices(opts["tmpfs_huge"]):
                if mode != opts["tmpfs_huge"]["default"]:
                    yield case(w, "tmpfs", mode, [f"--tmpfs_huge={mode}"])
        if "threads" in opts:
            b = THREADED_ON.get(w["name"], opts["backing"]["default"])
            yield case(w, b, "threads", ["--threads=2"])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: cases.py LIST.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        registry = json.load(f)
    for line in cases(registry):
        print(line)


if __name__ == "__main__":
    main()
