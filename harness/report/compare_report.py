# SPDX-License-Identifier: GPL-2.0
"""Reading a tlbbench compare report (compare --format=json), shared by
the scripts that work from one (sweep-points.py, profile-diff.py)."""
import json
import sys

VERSION = 1


def load(path, prog):
    """The report at path; exits naming prog and the file if it is not one."""
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("%s: %s: %s" % (prog, path, e))
    if not isinstance(report, dict) or report.get("tlbbench_compare") != VERSION:
        sys.exit("%s: %s: not a tlbbench compare report (version %d)" % (prog, path, VERSION))
    return report
