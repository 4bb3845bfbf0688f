#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# check.py - assert on the JSON Lines matrix.sh left: every workload of
# the registry ran on every backing it offers; each run passed with every
# sample verified and its mapping proof what the backing promises (anon-4k
# order-0 folios, anon-thp-pte order-9 folios mapped by PTEs, hugetlb-64k
# contiguous 64K blocks, tmpfs huge=always PMD-mapped, ...), or was skipped
# with a reason.  Backings named by --require must pass.  Prints TAP lines
# and writes "PASSED FAILED SKIPPED" to RESULTS.  Exit 0 unless one failed.
#
# Usage: check.py LIST.json OUT-DIR RESULTS [--require=b1,b2,...]
import json
import os
import sys


def expect_orders(m, want):
    got = m.get("pages_by_folio_order")
    if got != want:
        return f"pages_by_folio_order {got}, expected {want}"
    return None


def proof_error(backing, variant, m):
    """Why the mapping proof m breaks the promise of backing, or None."""
    pages = m["pages"]
    if m.get("proven") is not True or m.get("present") != pages:
        return f"not proven, or {m.get('present')} of {pages} pages present"
    # null without contpte; else at most one folded block per 64K of the range
    folded = m.get("contpte_folded_blocks", "absent")
    if folded == "absent":
        return "no contpte_folded_blocks (null on kernels without contpte)"
    if folded is not None and not (isinstance(folded, int) and 0 <= folded <= pages // 16):
        return f"contpte_folded_blocks {folded!r} of at most {pages // 16}"
    checks = []
    if backing == "anon-4k":
        checks = [expect_orders(m, {"0": pages}),
                  m["anon_huge_kb"] and "PMD-mapped THP on anon-4k"]
    elif backing == "anon-64k":
        checks = [expect_orders(m, {"4": pages}),
                  "knob" not in m and "no knob recorded"]
    elif backing == "anon-thp":
        checks = [expect_orders(m, {"9": pages}),
                  m["anon_huge_kb"] != pages * 4 and f"anon_huge_kb {m['anon_huge_kb']}"]
    elif backing == "anon-thp-pte":
        checks = [expect_orders(m, {"9": pages}),
                  m["anon_huge_kb"] and "still PMD-mapped",
                  m["kernel_page_kb"] != 4 and f"kernel_page_kb {m['kernel_page_kb']}",
                  m["contig_64k_blocks"] != pages // 16 and
                  f"contig_64k_blocks {m['contig_64k_blocks']} of {pages // 16}"]
    elif backing == "hugetlb-64k":
        checks = [m["kernel_page_kb"] != 64 and f"kernel_page_kb {m['kernel_page_kb']}",
                  m["contig_64k_blocks"] != pages // 16 and
                  f"contig_64k_blocks {m['contig_64k_blocks']} of {pages // 16}"]
    elif backing == "hugetlb-2m":
        checks = [m["kernel_page_kb"] != 2048 and f"kernel_page_kb {m['kernel_page_kb']}",
                  expect_orders(m, {"9": pages})]
    elif backing == "tmpfs":
        fs = m.get("fs") or {}
        huge = variant if variant in ("never", "within_size", "advise") else "always"
        checks = [fs.get("type") != "tmpfs" and f"fs {fs}",
                  f"huge={huge}" not in fs.get("mount_options", "") and
                  f"mount options {fs.get('mount_options')!r}"]
        if huge == "never":
            checks += [expect_orders(m, {"0": pages}),
                       m["shmem_pmd_kb"] and f"shmem_pmd_kb {m['shmem_pmd_kb']}"]
        else:
            checks += [expect_orders(m, {"9": pages}),
                       m["shmem_pmd_kb"] != pages * 4 and f"shmem_pmd_kb {m['shmem_pmd_kb']}"]
    elif backing == "xfs":
        fs = m.get("fs") or {}
        checks = [fs.get("type") != "xfs" and f"fs {fs}",
                  not str(fs.get("device", "")).startswith("/dev/loop") and "no loop device",
                  not isinstance(fs.get("read_ahead_kb"), int) and "no read_ahead_kb",
                  "0" in m["pages_by_folio_order"] and
                  f"{m['pages_by_folio_order']['0']} pages in order-0 folios"]
    else:
        return f"no expectation for backing {backing}"
    bad = [c for c in checks if c]
    return "; ".join(bad) if bad else None


def check_file(path, backing, variant):
    """(status, message): status 'ok', 'skip' or 'fail'."""
    try:
        with open(path, encoding="utf-8") as f:
            recs = [json.loads(line) for line in f]
    except (OSError, json.JSONDecodeError) as e:
        return "fail", f"{path}: {e}"
    end = recs[-1] if recs and recs[-1].get("type") == "end" else None
    if end is None:
        return "fail", f"{path}: no end record (the run died)"
    if end["status"] == "skip":
        if not end.get("reason"):
            return "fail", "skipped without a reason"
        return "skip", end["reason"]
    if end["status"] != "pass":
        return "fail", f"{end['status']} in {end.get('stage')}: {end.get('reason')}"
    samples = [r for r in recs if r.get("type") == "sample"]
    if not samples:
        return "fail", "passed without samples"
    env = recs[0]
    opts = env["run"]["options"]
    for s in samples:
        if s.get("verified") is not True:
            return "fail", f"sample {s['seq']} not verified"
        m = (s.get("info") or {}).get("mapping")
        if not m:
            return "fail", f"sample {s['seq']} has no mapping proof"
        if m.get("backing") != backing:
            return "fail", f"sample {s['seq']} proves {m.get('backing')}"
        why = proof_error(backing, variant, m)
        if why:
            return "fail", f"sample {s['seq']}: {why}"
        threads = opts.get("threads", 1)
        if s["info"].get("threads", 1) != threads:
            return "fail", f"sample {s['seq']}: {s['info'].get('threads')} threads, asked {threads}"
        if env["run"]["workload"] == "fault" and s["ops"] != threads * m["pages"]:
            return "fail", f"sample {s['seq']}: ops {s['ops']}, expected {threads} x {m['pages']}"
    return "ok", f"{len(samples)} samples proven"


def main():
    list_json, out, results = sys.argv[1:4]
    require = set()
    for a in sys.argv[4:]:
        if a.startswith("--require="):
            require = set(a[len("--require="):].split(","))
    with open(list_json, encoding="utf-8") as f:
        registry = json.load(f)
    expected = set()
    for w in registry:
        for o in w["options"]:
            if o["name"] == "backing":
                for b in o["type"].split(" ", 1)[1].split("|"):
                    expected.add((w["name"], b))
    counts = {"ok": 0, "fail": 0, "skip": 0}
    seen = set()
    n = 0
    for name in sorted(os.listdir(out)):
        if not name.endswith(".jsonl"):
            continue
        parts = name[:-len(".jsonl")].split(".")
        workload, backing = parts[0], parts[1]
        variant = parts[2] if len(parts) > 2 else ""
        seen.add((workload, backing))
        status, msg = check_file(os.path.join(out, name), backing, variant)
        if status == "skip" and backing in require:
            status, msg = "fail", f"required backing skipped: {msg}"
        n += 1
        counts[status] += 1
        label = f"{workload} {backing}{' ' + variant if variant else ''}"
        if status == "ok":
            print(f"ok {n} - {label}: {msg}")
        elif status == "skip":
            print(f"ok {n} - {label} # SKIP {msg}")
        else:
            print(f"not ok {n} - {label}: {msg}")
    for w, b in sorted(expected - seen):
        n += 1
        counts["fail"] += 1
        print(f"not ok {n} - {w} {b}: not run (matrix.sh and the registry disagree)")
    with open(results, "w", encoding="utf-8") as f:
        f.write(f"{counts['ok']} {counts['fail']} {counts['skip']}\n")
    print(f"{os.path.basename(results)}: {counts['ok']} passed, {counts['fail']} failed, "
          f"{counts['skip']} skipped")
    # nothing passing is a failure only where something was required
    sys.exit(1 if counts["fail"] or (require and not counts["ok"]) else 0)


if __name__ == "__main__":
    main()
