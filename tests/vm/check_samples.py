#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# check_samples.py - assert on the JSON Lines a guest run wrote through the
# results share: every line is JSON; the env record names the target, the
# variant, the booted kernel's release and config hash; at least one sample
# was measured.  Exit 0 pass, 1 fail (with the reason on stderr).
#
# Usage: check_samples.py SAMPLES.jsonl TARGET VARIANT RELEASE CONFIG_SHA256
import json
import sys


def fail(msg):
    print(f"check_samples: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    path, target, variant, release, config_sha = sys.argv[1:6]
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                fail(f"{path}:{n}: not JSON: {e}")
    envs = [r for r in records if r.get("type") == "env"]
    if not envs:
        fail(f"{path}: no env record")
    env = envs[0]
    kernel = env.get("kernel") or {}
    want = {
        "target": (env.get("target"), target),
        "kernel.release": (kernel.get("release"), release),
        "kernel.variant": (kernel.get("variant"), variant),
        "kernel.config_sha256": (kernel.get("config_sha256"), config_sha),
    }
    for field, (got, exp) in want.items():
        if got != exp:
            fail(f"{path}: env {field} is {got!r}, expected {exp!r}")
    measured = [r for r in records if r.get("phase") == "measure"]
    if not measured:
        fail(f"{path}: no record with phase 'measure'")
    print(f"check_samples: {len(records)} records, {len(measured)} measured")


if __name__ == "__main__":
    main()
