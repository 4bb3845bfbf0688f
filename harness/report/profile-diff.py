#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the time went: kernel symbols of base and patched side by side.

For every group of a compare report (REPORT.json) with a regression (or
every group, with --all) whose runs were profiled (tlbbench run --profile:
one perf.data of the measured repetitions, cpu-clock samples), reads each
side's profile with `perf report` and writes FIGDIR/<slug>-profile.txt: the
top kernel symbols by share of samples on the base and on each flagged
side, with the difference in percentage points.  tlbbench compare
--figures=FIGDIR puts that table under the group in the text and HTML
reports.  Groups without profiles on both sides are passed over.

Usage: profile-diff.py [--all] [--top=N] REPORT.json FIGDIR
"""
import argparse
import compare_report
import os
import re
import shutil
import subprocess
import sys

LINE = re.compile(r"^\s*([0-9.]+)%\s+\[k\]\s+(\S+)")


def die(msg):
    sys.exit("profile-diff: " + msg)


def kernel_symbols(perf, path):
    """{symbol: % of the profile's samples} for kernel symbols."""
    try:
        out = subprocess.run(
            [perf, "report", "-i", path, "--stdio", "--no-children", "--sort", "sym",
             "-q", "-g", "none", "--percent-limit", "0.1"],
            check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as e:
        die("perf report -i %s: %s" % (path, e.stderr.strip().splitlines()[-1:]))
    syms = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            syms[m.group(2)] = syms.get(m.group(2), 0) + float(m.group(1))
    return syms


def table(base_label, new_label, base, new, top):
    names = sorted(set(base) | set(new), key=lambda s: -max(base.get(s, 0), new.get(s, 0)))
    rows = ["profile: top kernel symbols, % of cpu-clock samples in the measured reps",
            " %-40s %9s %9s %8s" % ("symbol", base_label[:9], new_label[:9], "delta")]
    for s in names[:top]:
        b, n = base.get(s, 0.0), new.get(s, 0.0)
        rows.append(" %-40.40s %8.2f%% %8.2f%% %+8.2f" % (s, b, n, n - b))
    if not names:
        rows.append(" (no kernel samples)")
    return "\n".join(rows) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--all", action="store_true", help="every profiled group, not only regressions")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("report")
    ap.add_argument("figdir")
    a = ap.parse_args()
    report = compare_report.load(a.report, "profile-diff")
    labels = [s["label"] for s in report["sides"]]
    perf = None
    for g in report["groups"]:
        profiles = g.get("profiles") or []
        if not profiles or not profiles[0]:
            continue
        sides = [k for k in range(1, len(labels))
                 if profiles[k] and (a.all or any(m["sides"][k].get("regression")
                                                  for m in g["metrics"]))]
        if not sides:
            continue
        perf = perf or shutil.which("perf")
        if not perf:
            die("perf is not installed (Debian linux-perf): cannot read the profiles")
        base = kernel_symbols(perf, profiles[0])
        text = "".join(table(labels[0], labels[k], base, kernel_symbols(perf, profiles[k]), a.top)
                       for k in sides)
        os.makedirs(a.figdir, exist_ok=True)
        with open(os.path.join(a.figdir, g["figure"] + "-profile.txt"), "w") as f:
            f.write(text)
        print("profile-diff: %s: %s" % (g["label"], os.path.join(a.figdir, g["figure"] + "-profile.txt")))


main()
