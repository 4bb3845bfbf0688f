#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# run_guest_test.py - end-to-end test of the tlbsim plugin on the bare-metal
# guest (tests/tlbsim/guest).  It boots the guest under QEMU with the plugin
# and asserts on the plugin's JSON lines only:
#   * every region's refill and walk counts equal the hand counts below,
#     with contpte=on and contpte=off (cont16: 1 walk vs 16);
#   * check=on: every data translation agrees with QEMU's physical address;
#   * three identical runs (icount, 1 vCPU) give byte-identical output;
#   * modelled_cycles is the documented sum of the other counters, and a
#     core= preset with a cost override changes modelled_cycles only;
#   * an unknown or malformed plugin argument stops QEMU from starting.
# Exit status follows kselftest: 0 pass, 1 fail, 4 skip.
import argparse
import json
import os
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from result import Suite  # noqa: E402  (tests/lib/result.py)

RAM = "128M"
KSFT_SKIP = 4

# Hand counts; see tests/tlbsim/guest/main.c for the access pattern.
# label: (el, l1d_tlb, (l1d_tlb_refill, dtlb_walk) with contpte on,
#                      (l1d_tlb_refill, dtlb_walk) with contpte off)
EXPECT = {
    # 16 pages x 8 rounds; one 64K entry vs 16 4K entries
    "cont16": ("kernel", 128, (1, 1), (16, 16)),
    # same pages through a tagged pointer: all hits
    "tbi": ("kernel", 16, (0, 0), (0, 0)),
    # TLBI VAE1IS of page 5 drops the whole 64K entry, or just page 5
    "tlbi-va": ("kernel", 16, (1, 1), (1, 1)),
    # ASID 2 sees none of ASID 1's entries; back on ASID 1 all hit
    "asid": ("kernel", 32, (1, 1), (16, 16)),
    # ASIDE1IS(1): the global page survives, the nG range is refetched
    "aside-global": ("kernel", 17, (1, 1), (16, 16)),
    # 49 pages cycled 4 times through a 48-entry LRU L1: all miss, L2 hits
    "lru-49": ("kernel", 196, (196, 49), (196, 49)),
    # 48 pages after a warm-up round: all hit
    "lru-48": ("kernel", 192, (0, 0), (0, 0)),
    # TTBR1, 39-bit VA, 3-level walk, global CONT PTEs, 2 rounds
    "ttbr1-cont16": ("kernel", 32, (1, 1), (16, 16)),
    # EL0, fresh ASID 3, 2 rounds: counted as user
    "user-cont16": ("user", 32, (1, 1), (16, 16)),
}
EXTRA = {  # label: {counter: (el, value)} independent of contpte
    # one TLBI VAE1IS, completed by one DSB ISH
    "tlbi-va": {"tlbi_va": ("kernel", 1), "tlbi_broadcast": ("kernel", 1),
                "tlbi_sync_broadcast": ("kernel", 1),
                "tlbi_sync_local": ("kernel", 0)},
    "aside-global": {"tlbi_asid": ("kernel", 1),
                     "tlbi_broadcast": ("kernel", 1),
                     "tlbi_sync_broadcast": ("kernel", 1)},
    "lru-48": {"tlbi_sync_broadcast": ("kernel", 0)},
}
TLBIS = ("tlbi_all", "tlbi_asid", "tlbi_va", "tlbi_vaa", "tlbi_range",
         "tlbi_other")

suite = Suite("tlbsim-guest")


def check(cond, what):
    """One test: counted as it ends (tests/lib/result.py)."""
    suite.check(what, cond)


def qemu_cmd(a, mem, plugin_args):
    return [a.qemu, "-M", "virt,memory-backend=mem,dtb-randomness=off",
            "-cpu", "max", "-m", RAM, "-smp", "1",
            "-object", "memory-backend-file,id=mem,size=%s,mem-path=%s,share=on"
            % (RAM, mem),
            "-display", "none", "-serial", "null", "-monitor", "none",
            "-nic", "none", "-no-reboot", "-kernel", a.guest,
            "-icount", "shift=0,sleep=off", "-rtc", "clock=vm",
            "-plugin", ",".join([a.plugin, "mem=" + mem] + plugin_args)]


def run(a, name, plugin_args):
    out = os.path.join(a.workdir, name + ".jsonl")
    if os.path.exists(out):
        os.unlink(out)
    with tempfile.NamedTemporaryFile(dir="/dev/shm", prefix="tlbsim-") as m:
        p = subprocess.run(qemu_cmd(a, m.name, ["out=" + out] + plugin_args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=300)
    check(p.returncode == 0, "%s: qemu exited %d: %s"
          % (name, p.returncode, p.stderr.decode(errors="replace")))
    with open(out) as f:
        recs = [json.loads(line) for line in f]
    return out, recs


def regions(recs):
    return {r["label"]: r for r in recs if r["type"] == "region"}


def ctr(rec, name, el):
    return rec["counters"][name][el]


def model_cycles(rec, el, k):
    """The sum README.md documents for modelled_cycles."""
    return (ctr(rec, "model_instructions", el) +
            ctr(rec, "l2d_tlb", el) * k["l2"] +
            ctr(rec, "walk_steps", el) * k["walk_step"] +
            sum(ctr(rec, t, el) for t in TLBIS) * k["tlbi"] +
            ctr(rec, "tlbi_sync_local", el) * k["sync_local"] +
            ctr(rec, "tlbi_sync_broadcast", el) * k["sync_broadcast"])


def check_structure(name, recs):
    check(recs and recs[0]["type"] == "model", name + ": first record is model")
    check(recs and recs[-1]["type"] == "total", name + ": last record is total")
    costs = recs[0]["costs"]
    for r in recs[1:]:
        what = "%s %s" % (name, r.get("label", "total"))
        for el in ("user", "kernel"):
            check(ctr(r, "l2d_tlb_refill", el) == ctr(r, "dtlb_walk", el) +
                  ctr(r, "itlb_walk", el),
                  what + ": l2d_tlb_refill == dtlb_walk + itlb_walk")
            check(ctr(r, "modelled_cycles", el) == model_cycles(r, el, costs),
                  "%s: %s modelled_cycles %d is the sum of its parts, %d"
                  % (what, el, ctr(r, "modelled_cycles", el),
                     model_cycles(r, el, costs)))
        # every region runs code; a region of n loads runs more than n
        if r["type"] == "region":
            el = "user" if r["label"].startswith("user") else "kernel"
            check(ctr(r, "model_instructions", el) > ctr(r, "l1d_tlb", el),
                  what + ": model_instructions above the loads")


def check_counts(name, recs, contpte):
    regs = regions(recs)
    check(recs[0]["contpte"] == ("on" if contpte else "off"),
          name + ": model record says contpte")
    for label, (el, accesses, on, off) in EXPECT.items():
        r = regs.get(label)
        check(r is not None, "%s: region %s present" % (name, label))
        if r is None:
            continue
        refill, walks = on if contpte else off
        got = (ctr(r, "l1d_tlb", el), ctr(r, "l1d_tlb_refill", el),
               ctr(r, "dtlb_walk", el))
        check(got == (accesses, refill, walks),
              "%s %s: (l1d_tlb, l1d_tlb_refill, dtlb_walk) = %s, hand count %s"
              % (name, label, got, (accesses, refill, walks)))
        other = "user" if el == "kernel" else "kernel"
        check(ctr(r, "l1d_tlb", other) == 0,
              "%s %s: no %s data accesses" % (name, label, other))
        for c, (cel, v) in EXTRA.get(label, {}).items():
            check(ctr(r, c, cel) == v, "%s %s: %s == %d" % (name, label, c, v))


def check_args_rejected(a):
    for bad in (["bogus=1"], ["contpte=maybe"], ["l1d_entries=12x"],
                ["core=pentium"], ["nokey"]):
        with tempfile.NamedTemporaryFile(dir="/dev/shm", prefix="tlbsim-") as m:
            out = os.path.join(a.workdir, "rejected.jsonl")
            p = subprocess.run(qemu_cmd(a, m.name, ["out=" + out] + bad),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=60)
        key = bad[0].split("=")[0]
        check(p.returncode != 0, "argument %s: qemu refused to start" % bad)
        check(key.encode() in p.stderr,
              "argument %s: the message names %s" % (bad, key))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    if not os.path.isdir("/dev/shm"):
        suite.skip("guest", "no /dev/shm for the shared memory backend")
        suite.end()
        return KSFT_SKIP
    os.makedirs(a.workdir, exist_ok=True)

    for contpte in (True, False):
        name = "contpte-" + ("on" if contpte else "off")
        _, recs = run(a, name, ["contpte=" + ("on" if contpte else "off"),
                                "check=on"])
        check_structure(name, recs)
        check_counts(name, recs, contpte)
        total = recs[-1]["counters"]
        mism = sum(total["check_mismatch"].values())
        compared = sum(total["check_compared"].values())
        check(mism == 0 and compared > 0,
              "%s: check_mismatch %d of %d compared" % (name, mism, compared))
        print("%s: cont16 dtlb_walk %d, check %d compared, %d mismatches"
              % (name, ctr(regions(recs)["cont16"], "dtlb_walk", "kernel"),
                 compared, mism))

    outs = []
    for i in range(3):
        out, _ = run(a, "determinism-%d" % i, [])
        with open(out, "rb") as f:
            outs.append(f.read())
    check(outs[0] == outs[1] == outs[2],
          "determinism: three runs give byte-identical JSON")

    # another preset with the A76's geometry and one cost changed: the
    # model record says so, and only modelled_cycles moves
    _, base = run(a, "determinism-0", [])
    _, n1 = run(a, "core-n1", ["core=neoverse-n1", "cost_walk_step=50"])
    check_structure("core-n1", n1)
    check(n1[0]["core"] == "neoverse-n1" and not n1[0]["core_verified"] and
          n1[0]["costs"]["walk_step"] == 50 and n1[0]["costs"]["overridden"],
          "core-n1: the model record names the preset, its flag and the cost")
    for b, n in zip(base[1:], n1[1:]):
        for c in b["counters"]:
            if c != "modelled_cycles":
                check(b["counters"][c] == n["counters"][c],
                      "core-n1 %s: %s as under cortex-a76"
                      % (b.get("label", "total"), c))
    cont = regions(n1)["cont16"]
    check(ctr(cont, "modelled_cycles", "kernel") -
          ctr(regions(base)["cont16"], "modelled_cycles", "kernel") ==
          ctr(cont, "walk_steps", "kernel") *
          (50 - base[0]["costs"]["walk_step"]),
          "core-n1 cont16: modelled_cycles moved by walk_steps x the cost change")

    check_args_rejected(a)

    return suite.end()


if __name__ == "__main__":
    sys.exit(main())
