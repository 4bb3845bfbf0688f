# SPDX-License-Identifier: GPL-2.0
"""Reading a tlbbench compare report (compare --format=json), shared by
the scripts beside it that work from one (sweep-points.py,
profile-diff.py)."""
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


def verdict_lines(report):
    """The verdict as the text report states it, from the JSON's fields."""
    sig, reg = report["significant"], report["regressions"]
    word = "significant regression" if report["verdict"] == "regression" else \
        "no significant regression"
    return ["verdict: %s beyond the threshold (%.2f%%)" % (word, report["threshold_pct"]),
            "%d significant change%s, %d regression%s" % (sig, "" if sig == 1 else "s",
                                                          reg, "" if reg == 1 else "s")]


if __name__ == "__main__":
    # compare_report.py verdict REPORT.json: the verdict, for make report
    if len(sys.argv) != 3 or sys.argv[1] != "verdict":
        sys.exit("usage: compare_report.py verdict REPORT.json")
    print("\n".join(verdict_lines(load(sys.argv[2], "compare_report"))))
