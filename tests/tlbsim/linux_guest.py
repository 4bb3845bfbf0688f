# SPDX-License-Identifier: GPL-2.0
#
# linux_guest.py - what the tlbsim tests over Linux guests share: the check
# that the kernels and the guest runner are built (else the test is a
# kselftest SKIP), and reading the sample records of a results file.
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
