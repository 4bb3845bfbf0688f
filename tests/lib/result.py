# SPDX-License-Identifier: GPL-2.0
"""The test-result helper of the Python suites, the same contract as
tests/lib/result.sh: one line per test as it ends, and "PASSED FAILED
SKIPPED" in $BUILD/test-results/SUITE for tests/summary.  Only what ran is
counted; a suite that ran nothing fails.

    suite = Suite("tlbsim-guest")
    suite.check("name", condition, "why it failed")
    suite.skip("name", "why")
    sys.exit(suite.end())
"""
import os
import sys


class Suite:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = 0
        self.dir = os.path.join(os.environ.get("BUILD", "build"), "test-results")
        os.makedirs(self.dir, exist_ok=True)
        try:
            os.unlink(os.path.join(self.dir, name))
        except FileNotFoundError:
            pass

    def ok(self, name):
        self.passed += 1
        print(f"ok - {name}", flush=True)

    def fail(self, name, why):
        self.failed += 1
        print(f"not ok - {name}: {why}", flush=True)

    def skip(self, name, why):
        self.skipped += 1
        print(f"ok - {name} # SKIP {why}", flush=True)

    def check(self, name, cond, why=""):
        if cond:
            self.ok(name)
        else:
            self.fail(name, why or "condition false")
        return cond

    def end(self):
        """Write the counts; the exit status the suite should end with."""
        with open(os.path.join(self.dir, self.name), "w") as f:
            f.write(f"{self.passed} {self.failed} {self.skipped}\n")
        print(f"{self.name}: {self.passed} passed, {self.failed} failed, "
              f"{self.skipped} skipped", flush=True)
        if self.passed + self.failed + self.skipped == 0:
            print(f"{self.name}: no test ran", file=sys.stderr)
            return 1
        return 1 if self.failed else 0
