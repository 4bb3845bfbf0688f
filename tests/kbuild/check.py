#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Assert on the merged samples of "tlbbench run kbuild --build=mini" in a
TCG guest with the TLB model (tests/kbuild/run.sh): the run passed, every
sample verified its four objects, real/user/sys time are there and
consistent on one vCPU, the counters saw the whole make process tree (a
kernel compile takes tens of thousands of page faults; the runner alone
takes a handful), and the model's TLB counters were merged in.  Then the
run with --profile: it passed and named its perf.data, and the guest's
perf report of it shows kernel symbols."""
import json
import sys


def main(path):
    recs = [json.loads(line) for line in open(path)]
    env, end = recs[0], recs[-1]
    samples = [r for r in recs if r["type"] == "sample"]
    assert env["run"]["workload"] == "kbuild", env["run"]
    assert env["run"]["options"]["build"] == "mini", env["run"]["options"]
    assert env["target"] == "tcg", env["target"]
    assert end["type"] == "end" and end["status"] == "pass", end
    assert [s["phase"] for s in samples] == ["warmup", "measure"], samples
    for s in samples:
        info, c = s["info"], s["counters"]
        assert s["verified"] is True and s["ops"] == 4, s
        real = s["elapsed_ns"]
        for k in ("user_ns", "sys_ns"):
            assert info[k] > 0, (k, info)
        # one vCPU: CPU time of the tree cannot exceed its real time
        # (10 ms of slack for the tick-based accounting)
        assert info["user_ns"] + info["sys_ns"] <= real + 10**7, (real, info)
        assert c["page-faults"]["total"] > 10000, c["page-faults"]
        for ev in ("l1d_tlb_refill", "l2d_tlb_refill", "dtlb_walk"):
            assert c[ev].get("source") == "tlbsim", (ev, c[ev])
            assert c[ev]["total"] > 0, (ev, c[ev])
        print("seq %d %s: real %.1fs user %.1fs sys %.1fs, page-faults %d, "
              "dtlb_walk %d" % (s["seq"], s["phase"], real / 1e9,
                                info["user_ns"] / 1e9, info["sys_ns"] / 1e9,
                                c["page-faults"]["total"], c["dtlb_walk"]["total"]))


def check_profile(path, report):
    end = [json.loads(line) for line in open(path)][-1]
    assert end["type"] == "end" and end["status"] == "pass", end
    assert end["profile"].endswith(".perf.data"), end
    lines = open(report).read().splitlines()
    kernel = [l for l in lines if "[k]" in l]
    assert kernel, "no kernel symbol in the guest's perf report"
    print("profile %s: %d kernel symbols, top: %s"
          % (end["profile"], len(kernel), kernel[0].strip()))


if __name__ == "__main__":
    main(sys.argv[1])
    check_profile(sys.argv[2], sys.argv[3])
