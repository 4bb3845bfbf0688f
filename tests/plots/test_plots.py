#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# test_plots.py - the figures of the comparison report, end to end: the
# compare JSON of the unit-test fixtures through plots/plot.py (every
# figure file there, SVGs that parse, PNGs that are PNGs, text charts that
# fit a mail), then tlbbench compare --figures putting them into the text
# and HTML reports; the sweep figure and its Pareto front; and every kind
# of bad input refused with a message naming the file.
#
# Usage: test_plots.py TLBBENCH WORKDIR RESULTS
# Prints "ok N - name" / "not ok N - name: why" per check and writes
# "PASSED FAILED SKIPPED" to RESULTS; exits 1 if any check failed.

import copy
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PLOT = os.path.join(ROOT, "plots", "plot.py")
FIXTURES = os.path.join(ROOT, "tests", "unit", "fixtures", "compare")
PYTHON = "/usr/bin/python3"  # Debian's, which has python3-matplotlib
SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Failed(Exception):
    pass


def check(cond, why):
    if not cond:
        raise Failed(why)


def run(argv, env=None):
    return subprocess.run(argv, capture_output=True, text=True, check=False, env=env)


def plot(*args, env=None):
    return run([PYTHON, PLOT, *args], env=env)


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


class Suite:
    def __init__(self, tlbbench, work):
        self.tlbbench, self.work = tlbbench, work
        self.passed = self.failed = 0
        self.doc = None  # the compare JSON, once read
        self.figs = os.path.join(work, "figures")

    def case(self, name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 (any exception fails the check alone)
            if not isinstance(e, Failed):
                e = f"{type(e).__name__}: {e}"
            self.failed += 1
            print(f"not ok {self.passed + self.failed} - {name}: {e}")
            return False
        self.passed += 1
        print(f"ok {self.passed + self.failed} - {name}")
        return True

    def path(self, name):
        return os.path.join(self.work, name)

    # --- the report --------------------------------------------------------

    def compare(self, *args):
        return run([self.tlbbench, "compare", *args, os.path.join(FIXTURES, "base"),
                    os.path.join(FIXTURES, "new")])

    def compare_json(self):
        res = self.compare("--format=json")
        # 1: the fixtures hold a regression on purpose.
        check(res.returncode in (0, 1), f"compare exit {res.returncode}: {res.stderr.strip()}")
        self.doc = json.loads(res.stdout)
        write_json(self.path("report.json"), self.doc)
        check(len(self.doc["groups"]) >= 2, "fewer than two groups in the fixtures")

    @staticmethod
    def tlb_names(g):
        """The group's TLB counters as compare marks them (the counter table's)."""
        return [m["name"] for m in g["metrics"] if m["tlb"] and m["headline"] and not m["zero"]]

    def expected(self):
        """Files per group, and whether the group has a TLB figure."""
        for g in self.doc["groups"]:
            yield g, bool(self.tlb_names(g))

    def report_figures(self):
        res = plot("report", self.path("report.json"), self.figs)
        check(res.returncode == 0, f"plot.py exit {res.returncode}: {res.stderr.strip()}")
        want = set()
        for g, tlb in self.expected():
            want |= {f"{g['figure']}.{e}" for e in ("svg", "png", "txt")}
            if tlb:
                want |= {f"{g['figure']}-tlb.{e}" for e in ("svg", "png")}
        got = set(os.listdir(self.figs))
        check(got == want, f"missing {sorted(want - got)}, unexpected {sorted(got - want)}")
        check(any(t for _, t in self.expected()), "no group with TLB counters: test is blind")

    def svgs_parse(self):
        for g, tlb in self.expected():
            for stem in [g["figure"]] + ([g["figure"] + "-tlb"] if tlb else []):
                f = os.path.join(self.figs, stem + ".svg")
                try:
                    root = ET.parse(f).getroot()
                except ET.ParseError as e:
                    raise Failed(f"{f}: {e}") from e
                check(root.tag == SVG_ROOT, f"{f}: root <{root.tag}>")
                text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
                check(g["label"].split()[0] in text, f"{f}: no title naming {g['workload']}")

    def pngs_sane(self):
        for name in os.listdir(self.figs):
            if not name.endswith(".png"):
                continue
            with open(os.path.join(self.figs, name), "rb") as f:
                head = f.read(24)
            check(head[:8] == PNG_MAGIC and head[12:16] == b"IHDR", f"{name}: not a PNG")
            w, h = struct.unpack(">II", head[16:24])
            check(200 <= w <= 3000 and 150 <= h <= 2000, f"{name}: {w}x{h} pixels")

    def text_charts(self):
        for g, _ in self.expected():
            f = os.path.join(self.figs, g["figure"] + ".txt")
            with open(f, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
            check(lines and any(l.strip() for l in lines), f"{f}: empty")
            check(len(lines) <= 20, f"{f}: {len(lines)} lines")
            wide = [len(l) for l in lines if len(l) > 79]
            check(not wide, f"{f}: lines of {wide} columns")
            text = "\n".join(lines)
            time = next(m for m in g["metrics"] if m["name"] == "time")
            for k, side in enumerate(self.doc["sides"]):
                check(side["label"][:11] in text, f"{f}: no side {side['label']}")
                gain = time["sides"][k].get("gain_pct")
                if k and gain is not None:
                    check(f"{gain:+.2f}%" in text, f"{f}: no gain {gain:+.2f}%")
            tlb = self.tlb_names(g)
            check(not tlb or tlb[0] in text, f"{f}: no {tlb[:1]} panel")

    def no_zero_tlb(self):
        """TLB counters zero everywhere draw nothing, and a stale figure goes."""
        doc = copy.deepcopy(self.doc)
        g = doc["groups"][0]
        first = self.tlb_names(g)[0]
        for m in g["metrics"]:
            if m["tlb"]:
                m["zero"] = True
        out = self.path("zero")
        os.makedirs(out)
        stale = os.path.join(out, g["figure"] + "-tlb.svg")
        open(stale, "w").close()
        res = plot("report", write_json(self.path("zero.json"), doc), out)
        check(res.returncode == 0, f"plot.py exit {res.returncode}: {res.stderr.strip()}")
        check(not os.path.exists(stale), "stale -tlb.svg left")
        check(os.path.exists(os.path.join(out, g["figure"] + ".svg")), "no time figure")
        with open(os.path.join(out, g["figure"] + ".txt"), encoding="utf-8") as f:
            check(first not in f.read(), f"{first} panel of a zero counter")

    def report_text(self):
        res = self.compare("--format=text", f"--figures={self.figs}")
        check(res.returncode in (0, 1), f"compare exit {res.returncode}: {res.stderr.strip()}")
        for g, _ in self.expected():
            with open(os.path.join(self.figs, g["figure"] + ".txt"), encoding="utf-8") as f:
                chart = f.read()
            check(chart in res.stdout, f"text report lacks the chart of {g['figure']}")

    def report_html(self):
        res = self.compare("--format=html", f"--figures={self.figs}")
        check(res.returncode in (0, 1), f"compare exit {res.returncode}: {res.stderr.strip()}")
        for g, tlb in self.expected():
            for stem in [g["figure"]] + ([g["figure"] + "-tlb"] if tlb else []):
                src = f'<img src="{os.path.join(self.figs, stem)}.svg"'
                check(src in res.stdout, f"HTML lacks {src}")

    # --- bad input ---------------------------------------------------------

    def refused(self, name, doc, words, kind="report", env=None, extra=()):
        """plot.py on doc (an object, or text) fails naming the file and words."""
        f = self.path(name + ".json")
        if isinstance(doc, str):
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(doc)
        else:
            write_json(f, doc)
        out = self.path(name + ".out")
        res = plot(kind, *extra, f, out, env=env)
        check(res.returncode == 1, f"exit {res.returncode}, not 1")
        for w in words:
            check(w in res.stderr, f"message {res.stderr.strip()!r} lacks {w!r}")
        check(not os.path.exists(out) or not os.listdir(out), "figures written anyway")

    def bad_version(self):
        doc = dict(self.doc, tlbbench_compare=2)
        self.refused("version", doc, ["version.json", "version 2"])

    def bad_missing_key(self):
        doc = copy.deepcopy(self.doc)
        del doc["groups"][1]["figure"]
        self.refused("nofigure", doc, ["nofigure.json", "groups[1]", '"figure"'])

    def bad_ci(self):
        doc = copy.deepcopy(self.doc)
        doc["groups"][0]["metrics"][0]["sides"][1]["ci"] = 3.0
        self.refused("ci", doc, ["ci.json", "groups[0].metrics[0].sides[1].ci"])

    def bad_slug(self):
        doc = copy.deepcopy(self.doc)
        doc["groups"][0]["figure"] = "../escape"
        self.refused("slug", doc, ["slug.json", "not a file name"])

    def bad_json(self):
        self.refused("truncated", '{"tlbbench_compare": 1, "groups": [', ["truncated.json",
                                                                         "not JSON"])

    def no_gnuplot(self):
        env = dict(os.environ, PATH="/nonexistent")
        self.refused("nognuplot", self.doc, ["gnuplot not found", "gnuplot-nox"], env=env)

    # --- sweeps ------------------------------------------------------------

    # Saved 0, 40k, 35k, 70k, 72k: "8" costs more than "4" and saves less.
    # fork was not measured at "8".
    SWEEP = [{"value": v, "cost": {"fault time (ns/op)": t, "fork time (ns/op)": f},
              "benefit": {"tlb_reach l1d_tlb_refill saved": b,
                          "tlb_reach dtlb_walk saved": b / 4}}
             for v, t, f, b in ((0, 250.0, 8.0e4, 0.0), (4, 252.0, 8.1e4, 4.0e4),
                                (8, 258.0, None, 3.5e4), (16, 262.0, 8.3e4, 7.0e4),
                                ("64k", 275.0, 9.0e4, 7.2e4))]

    def pareto(self):
        spec = importlib.util.spec_from_file_location("plot", PLOT)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        x = [p["cost"]["fault time (ns/op)"] for p in self.SWEEP]
        y = [p["benefit"]["tlb_reach l1d_tlb_refill saved"] for p in self.SWEEP]
        check(mod.pareto_front(x, y) == [0, 1, 3, 4], f"front {mod.pareto_front(x, y)}")
        # Equal cost: only the one saving more; equal points: one of them.
        check(mod.pareto_front([1, 1, 2], [5, 7, 6]) == [1], "equal cost kept the worse")
        check(mod.pareto_front([1, 1], [5, 5]) == [0], "equal points both kept")

    def sweep_out(self, name, doc, *extra):
        out = self.path(name)
        res = plot("sweep", "--knob=contpte_threshold", "--name=thr", *extra,
                   write_json(self.path(name + ".json"), doc), out)
        check(res.returncode == 0, f"plot.py exit {res.returncode}: {res.stderr.strip()}")
        check(sorted(os.listdir(out)) == ["thr.png", "thr.svg", "thr.txt"],
              f"files {sorted(os.listdir(out))}")
        check(ET.parse(os.path.join(out, "thr.svg")).getroot().tag == SVG_ROOT, "SVG root")
        with open(os.path.join(out, "thr.png"), "rb") as f:
            check(f.read(8) == PNG_MAGIC, "not a PNG")
        with open(os.path.join(out, "thr.txt"), encoding="utf-8") as f:
            text = f.read()
        check(text.strip() and max(map(len, text.splitlines())) <= 79,
              "text chart empty or too wide")
        return text

    def sweep_figures(self):
        text = self.sweep_out("sweep", self.SWEEP)
        check(text.count("Pareto front") == 2, "not one chart per cost metric")
        check("64k" in text and "l1d_tlb_refill saved" in text,
              "text chart lacks the knob values or the benefit")
        text = self.sweep_out("sweep1", self.SWEEP, "--cost=fork time (ns/op)")
        check(text.count("Pareto front") == 1 and "fork time" in text, "--cost not obeyed")
        # the default benefit is the first key (sweep-points.py writes them in table order)
        swapped = [dict(p, benefit=dict(reversed(list(p["benefit"].items())))) for p in self.SWEEP]
        text = self.sweep_out("sweep2", swapped)
        check("dtlb_walk saved" in text and "l1d_tlb_refill saved" not in text,
              "the default benefit is not the first key")

    def sweep_points(self):
        """The points harness/report/sweep-points.py makes of a compare report draw."""
        res = run([PYTHON, os.path.join(ROOT, "harness", "report", "sweep-points.py"), "side",
                   self.path("report.json"), self.path("points.json")])
        check(res.returncode == 0, f"sweep-points.py exit {res.returncode}: {res.stderr}")
        with open(self.path("points.json"), encoding="utf-8") as f:
            self.sweep_out("points", json.load(f))

    def bad_sweeps(self):
        self.refused("one", self.SWEEP[:1], ["one.json", "at least two"], kind="sweep")
        nob = copy.deepcopy(self.SWEEP)
        del nob[2]["benefit"]
        self.refused("nobenefit", nob, ["nobenefit.json", "[2]", '"benefit"'], kind="sweep")
        none = copy.deepcopy(self.SWEEP)
        for p in none:
            p["benefit"] = {}
        self.refused("nobenefits", none, ["nobenefits.json", "say which with --benefit"],
                     kind="sweep")
        self.refused("nol2d", self.SWEEP, ["nol2d.json", 'no point has a benefit "l2d"'],
                     kind="sweep", extra=("--benefit=l2d",))
        word = copy.deepcopy(self.SWEEP)
        word[3]["cost"]["fault time (ns/op)"] = "fast"
        self.refused("word", word, ["word.json", "[3].cost", "is string, not a number"],
                     kind="sweep")

    def run(self):
        report_cases = [
            ("report: figure files per group", self.report_figures),
            ("report: SVGs parse and carry the title", self.svgs_parse),
            ("report: PNGs are PNGs of a sane size", self.pngs_sane),
            ("report: text charts fit a mail", self.text_charts),
            ("report: zero TLB counters draw nothing", self.no_zero_tlb),
            ("compare --figures: text report has the charts", self.report_text),
            ("compare --figures: HTML report shows the SVGs", self.report_html),
            ("bad input: tlbbench_compare version", self.bad_version),
            ("bad input: missing key", self.bad_missing_key),
            ("bad input: ci not [lo, hi]", self.bad_ci),
            ("bad input: figure slug not a file name", self.bad_slug),
            ("bad input: not JSON", self.bad_json),
            ("gnuplot missing", self.no_gnuplot),
        ]
        if self.case("compare --format=json of the fixtures", self.compare_json):
            for name, fn in report_cases:
                self.case(name, fn)
        else:
            self.failed += len(report_cases)
            print(f"# {len(report_cases)} report checks not run: no compare JSON")
        self.case("sweep: Pareto front", self.pareto)
        self.case("sweep: figure files, a chart per cost", self.sweep_figures)
        self.case("sweep: the points sweep-points.py writes", self.sweep_points)
        self.case("sweep: bad input", self.bad_sweeps)


def main():
    if len(sys.argv) != 4:
        print("usage: test_plots.py TLBBENCH WORKDIR RESULTS", file=sys.stderr)
        return 2
    tlbbench, work, results = sys.argv[1:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    suite = Suite(tlbbench, work)
    suite.run()
    os.makedirs(os.path.dirname(results) or ".", exist_ok=True)
    with open(results, "w", encoding="utf-8") as f:
        f.write(f"{suite.passed} {suite.failed} 0\n")
    print(f"plots: {suite.passed} passed, {suite.failed} failed, 0 skipped")
    return 1 if suite.failed else 0


if __name__ == "__main__":
    sys.exit(main())
