#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# run_aa_test.py - the A/A check of the ptep_deref() series (issue 4).
#
# The ptep-deref kernel changes no code but patch 1 (vmap_pfn_apply() sets
# its pte with set_pte_at(), a path no workload here takes), so under the
# deterministic setup it must do the same work as baseline.  Boots both
# variants with tests/tlbsim/determinism.plan through harness/bench-tcg.sh
# and compares the merged samples one by one.
#
# Must be equal, exactly, in every sample (EXACT below): what the workload
# did (ops, user instructions, user data and fetch accesses) and what the
# kernel's mm did for it (page faults, TLBIs of each kind).
#
# Reported with their difference, not asserted: kernel instruction and
# access counts, and every refill and walk count, user ones included.  The
# two images do not lay out the kernel's data alike: patch 1 grows
# mm/vmalloc.o, and from .rodata on every symbol of ptep-deref sits 32 bytes
# later (System.map; .text is at the same addresses).  Kernel paths that
# hash pointers then run slightly differently (observed: +0.002% kernel
# instructions over the plan), and the kernel's entries share every TLB
# with the user's, so refills move in both modes.  Two boots of one image
# give identical counts (run_determinism_test.py), so a difference in EXACT
# is the patch, not noise.
# Exit status follows kselftest: 0 pass, 1 fail, 4 skip (a kernel not built).
import argparse
import os
import shutil
import subprocess
import sys

from linux_guest import KSFT_SKIP, missing, samples

VARIANTS = ("baseline", "ptep-deref")
EXACT = ["ops", "instructions.user", "l1d_tlb.user", "l1i_tlb.user",
         "page-faults.user", "page-faults.kernel",
         "minor-faults.user", "minor-faults.kernel", "major-faults.user",
         "major-faults.kernel", "tlbi_all.kernel", "tlbi_asid.kernel",
         "tlbi_va.kernel", "tlbi_vaa.kernel", "tlbi_range.kernel",
         "tlbi_other.kernel"]
REPORTED = ["instructions.kernel", "l1d_tlb.kernel", "l1d_tlb_refill.user",
            "l1d_tlb_refill.kernel", "l2d_tlb_refill.user",
            "l2d_tlb_refill.kernel", "l1i_tlb_refill.user",
            "l1i_tlb_refill.kernel", "cont_fills.user"]


def value(sample, key):
    if "." not in key:
        return sample[key]
    name, el = key.rsplit(".", 1)
    return sample["counters"][name][el]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--tlbbench", required=True, help="host runner, for merge")
    ap.add_argument("--plan", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    skip = missing(VARIANTS)
    if skip:
        print(skip)
        return KSFT_SKIP
    shutil.rmtree(a.workdir, ignore_errors=True)
    print("aa: booting %s under the deterministic setup" % " and ".join(VARIANTS),
          flush=True)
    p = subprocess.run(["harness/bench-tcg.sh", a.tlbbench, a.plugin, a.plan,
                        a.workdir] + list(VARIANTS),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=1800)
    if p.returncode:
        print("FAIL: bench-tcg.sh exited %d:\n%s"
              % (p.returncode, p.stdout.decode(errors="replace")))
        return 1
    base, test = (samples(os.path.join(a.workdir, v, "samples.jsonl"))
                  for v in VARIANTS)
    if not base or len(base) != len(test):
        print("FAIL: %d samples on baseline, %d on ptep-deref"
              % (len(base), len(test)))
        return 1
    failed = 0
    for s, t in zip(base, test):
        for k in EXACT:
            if value(s, k) != value(t, k):
                failed += 1
                print("FAIL: sample %d (seq %d): %s is %d on baseline, %d on "
                      "ptep-deref" % (base.index(s), s["seq"], k, value(s, k),
                                      value(t, k)))
    for k in REPORTED:
        b = sum(value(s, k) for s in base)
        t = sum(value(s, k) for s in test)
        print("aa: %-22s baseline %11d  ptep-deref %11d  (%+.3f%%, layout)"
              % (k, b, t, 100.0 * (t - b) / b if b else 0.0))
    if failed:
        print("test-aa: %d differences in counts that must be equal" % failed)
        return 1
    print("aa: %d samples, %d counts each equal on both kernels"
          % (len(base), len(EXACT)))
    print("test-aa: pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
