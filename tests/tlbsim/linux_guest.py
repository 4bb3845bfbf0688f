# SPDX-License-Identifier: GPL-2.0
#
# linux_guest.py - what the tlbsim tests over Linux guests share: the check
# that the kernels and the guest runner are built (else the test is a
# kselftest SKIP), reading the sample records of a results file, and the
# first difference between two of them.
import json
import os

KSFT_SKIP = 4


def missing(variants):
    """A SKIP message if a variant's Image or the guest runner is not built."""
    build = os.environ.get("BUILD", "build")
    for v in variants:
        for need in (os.path.join(build, "kernels", v, "Image"),
                     os.path.join(build, "aarch64", "bin", "tlbbench")):
            if not os.path.exists(need):
                return ("SKIP: %s not built (make kernel K=%s; make "
                        "guest-runner)" % (need, v))
    return None


def samples(path):
    """The sample records of a JSON Lines results file, in order."""
    with open(path) as f:
        return [r for r in map(json.loads, f) if r["type"] == "sample"]


def first_diff(a, b, path=""):
    """The path and values of the first difference between a and b, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return (path + "." + k, a.get(k, "<absent>"),
                        b.get(k, "<absent>"))
            d = first_diff(a[k], b[k], path + "." + k)
            if d:
                return d
        return None
    return None if a == b else (path, a, b)
