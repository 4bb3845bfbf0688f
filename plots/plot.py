#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Figures of the tlbbench comparison report and of threshold sweeps.

Run with Debian's Python (/usr/bin/python3): it needs python3-matplotlib
(drawn with the Agg backend, no display) and gnuplot (gnuplot-nox) for the
text charts that go into emails.  Nothing is computed here that the report
has not already stated: bars are the report's numbers, drawn.

    plot.py report REPORT.json OUTDIR
    plot.py sweep SWEEP.json OUTDIR [--knob=NAME] [--cost=METRIC]
                                    [--benefit=METRIC] [--name=STEM]

report: REPORT.json is `tlbbench compare --format=json` output
("tlbbench_compare": 1).  Per group, named by the group's "figure" slug:

  <slug>.svg, <slug>.png   the headline "time" metric (ns/op) per side:
                           mean with its (1 - alpha) confidence interval,
                           annotated with the report's gain % and mark
                           (* significant, = exact, ? too few samples);
  <slug>-tlb.svg, .png     the TLB counters per side (the metrics the report
                           marks "tlb" and "headline": refills, walks and
                           misses, from the counter table), mean per
                           repetition, user and kernel stacked from the
                           "<name>:user" / "<name>:kernel" metrics; only
                           counters not zero everywhere, only when there is
                           one (a stale one is removed);
  <slug>.txt               a gnuplot dumb chart, at most 79 columns by 16
                           lines, of the time bars and, when counted, the
                           first of those TLB counters, for `tlbbench compare
                           --figures=OUTDIR` to put under the group's table.

sweep: SWEEP.json is a JSON list with one object per knob value, in the
order swept; the first point is the reference (the knob off, or its
default).  harness/report/sweep-points.py writes it from the compare report
of a sweep (make sweep):

  [
    {"value": "16",                       # the knob's value: string or number
     "cost": {                            # what the value costs, lower is
       "fault ... time (ns/op)": 251.2,   #   better: the report's statistic,
       "fork ... time (ns/op)": 80113.0}, #   one key per measured cost
     "benefit": {                         # what it saves against the first
       "tlb_reach ... l1d_tlb_refill saved": 57000.0,  # point (0 there),
       "tlb_reach ... dtlb_walk saved": 14250.0}},     # higher is better
    {"value": "32", "cost": {...}, "benefit": {...}},  # the same keys
    ...
  ]

A metric may be null where it was not measured; that point is left out of
that chart.  Per cost metric (or only --cost=KEY), one chart plots the
benefit against the cost for every point and joins the Pareto front: the
points no other point beats on both (as cheap and saving more, or
cheaper and saving as much).  The benefit is --benefit=KEY, by default the
first key of the first point with any (sweep-points.py writes them in the
counter table's order).  Writes
OUTDIR/<name>.svg and .png (one panel per cost metric) and <name>.txt
(one 79x16 chart per cost metric), name "sweep" by default.

Exit status: 0 figures written, 1 bad input (the message names the file
and the field) or gnuplot failed or missing, 2 bad usage.
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend comes first)
from matplotlib.patches import Patch  # noqa: E402

COMPARE_VERSION = 1
MARK_SIGN = {"none": "", "significant": "*", "exact": "=", "too-few-samples": "?"}
# Text charts go under an 80-column report: one column spare.
DUMB_COLS, DUMB_ROWS = 79, 16
BASE_COLOUR, SIDE_COLOUR = "#9e9e9e", "#4a79a8"
WORSE_COLOUR, BETTER_COLOUR = "#c0392b", "#2e8b57"

# Reproducible SVGs: fixed ids, no date.
matplotlib.rcParams["svg.hashsalt"] = "tlbbench"
# Text stays text in SVGs: smaller, searchable, drawn in the reader's font.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.size"] = 9


class BadInput(Exception):
    """The input file does not say what this script needs."""


class ToolFailed(Exception):
    """gnuplot is missing or failed."""


# --- reading --------------------------------------------------------------

def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(v)]


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def field(obj, key, want, where, null=False):
    """obj[key], checked to be of JSON type `want` (or null if allowed)."""
    if not isinstance(obj, dict):
        raise BadInput(f"{where}: expected an object, got {json_type(obj)}")
    if key not in obj:
        raise BadInput(f"{where}: missing \"{key}\"")
    v = obj[key]
    if (v is None and null) or json_type(v) == want:
        return v
    want += " or null" if null else ""
    raise BadInput(f"{where}.{key}: expected {want}, got {json_type(v)}")


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise BadInput(e.strerror) from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BadInput(f"not JSON: {e}") from e


def read_side_stats(s, where, first):
    """One side of one metric: the numbers the figures draw."""
    ci = field(s, "ci", "array", where)
    if len(ci) != 2 or not all(v is None or is_num(v) for v in ci):
        raise BadInput(f"{where}.ci: expected [lo, hi], got {json.dumps(ci)[:40]}")
    out = {"n": field(s, "n", "number", where), "mean": field(s, "mean", "number", where, True),
           "ci": ci, "gain": None, "mark": "none", "judged": False, "small": False}
    if not first:
        out["gain"] = field(s, "gain_pct", "number", where, True)
        out["mark"] = field(s, "mark", "string", where)
        # the verdict rule's outcome (older reports: every marked change)
        out["judged"] = bool(s.get("judged", out["mark"] in ("significant", "exact")))
        out["small"] = bool(s.get("small", False))
        if out["mark"] not in MARK_SIGN:
            raise BadInput(f"{where}.mark: unknown mark \"{out['mark']}\"")
    return out


def read_report(doc):
    """The parts of `tlbbench compare --format=json` the figures use."""
    version = field(doc, "tlbbench_compare", "number", "top level")
    if version != COMPARE_VERSION:
        raise BadInput(f"tlbbench_compare version {version}, this script reads {COMPARE_VERSION}")
    alpha = field(doc, "alpha", "number", "top level")
    sides = [field(s, "label", "string", f"sides[{k}]")
         for k, s in enumerate(field(doc, "sides", "array", "top level"))]
    if not sides:
        raise BadInput("sides: empty")
    groups = []
    for i, g in enumerate(field(doc, "groups", "array", "top level")):
        gw = f"groups[{i}]"
        slug = field(g, "figure", "string", gw)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
            raise BadInput(f"{gw}.figure: \"{slug}\" is not a file name")
        metrics = {}
        for j, m in enumerate(field(g, "metrics", "array", gw)):
            mw = f"{gw}.metrics[{j}]"
            per = field(m, "sides", "array", mw)
            if len(per) != len(sides):
                raise BadInput(f"{mw}.sides: {len(per)} entries for {len(sides)} sides")
            metrics[field(m, "name", "string", mw)] = {
                "unit": field(m, "unit", "string", mw),
                "zero": field(m, "zero", "boolean", mw),
                # the counter table's word, carried by compare
                "tlb": field(m, "tlb", "boolean", mw) and field(m, "headline", "boolean", mw),
                "sides": [read_side_stats(s, f"{mw}.sides[{k}]", k == 0)
                      for k, s in enumerate(per)],
            }
        if "time" not in metrics:
            raise BadInput(f"{gw}: no \"time\" metric")
        groups.append({"label": field(g, "label", "string", gw), "slug": slug,
                   "metrics": metrics})
    return {"alpha": alpha, "sides": sides, "groups": groups}


def sweep_metric(doc, part, key):
    """doc[*][part][key] of every point: a number, or None where not measured."""
    vals = []
    for i, p in enumerate(doc):
        v = p[part].get(key)
        if not (v is None or is_num(v)):
            raise BadInput(f"[{i}].{part}: \"{key}\" is {json_type(v)}, not a number")
        vals.append(v)
    if all(v is None for v in vals):
        raise BadInput(f"no point has a {part} \"{key}\"")
    return vals


def sweep_keys(doc, part):
    """Every key of doc[*][part], in first-seen order."""
    keys = {}
    for p in doc:
        keys.update(dict.fromkeys(p[part]))
    return list(keys)


def read_sweep(doc, cost, benefit):
    if not isinstance(doc, list):
        raise BadInput(f"expected a list of points, got {json_type(doc)}")
    if len(doc) < 2:
        raise BadInput(f"{len(doc)} point(s): a trade-off needs at least two")
    values = []
    for i, p in enumerate(doc):
        kind = "number" if is_num(p.get("value") if isinstance(p, dict) else None) else "string"
        values.append(field(p, "value", kind, f"[{i}]"))
        field(p, "cost", "object", f"[{i}]")
        field(p, "benefit", "object", f"[{i}]")
    if benefit is None:
        keys = sweep_keys(doc, "benefit")
        if not keys:
            raise BadInput("no benefit metric in any point: say which with --benefit")
        benefit = keys[0]
    costs = [cost] if cost is not None else sweep_keys(doc, "cost")
    if not costs:
        raise BadInput("no cost metric in any point")
    return {"values": values, "benefit": benefit, "y": sweep_metric(doc, "benefit", benefit),
            "costs": [(c, sweep_metric(doc, "cost", c)) for c in costs]}


def pareto_front(x, y):
    """Indices of the points no other beats: lower x and higher y, by x."""
    front, best = [], -math.inf
    for i in sorted(range(len(x)), key=lambda i: (x[i], -y[i])):
        if y[i] > best:
            front.append(i)
            best = y[i]
    return front


# --- writing --------------------------------------------------------------

def replace_into(path, write):
    """Write through a temporary file so a failure leaves nothing half done."""
    tmp = path + ".tmp"
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_figure(fig, stem):
    for fmt, meta in (("svg", {"Date": None}), ("png", {"Software": None})):
        replace_into(f"{stem}.{fmt}",
                 lambda tmp: fig.savefig(tmp, format=fmt, metadata=meta, dpi=100))
    plt.close(fig)


def save_text(path, text):
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    replace_into(path, write)


# Axes of every text chart: left and bottom only, tics as 12.5k.
GP_AXES = "set border 3\nset xtics nomirror\nset ytics nomirror\nset format y '%.1s%c'\n"


def gp_str(s, width=12, tail=False):
    """A label as a gnuplot string body: no quotes or escapes, at most width
    characters, cut at the end (or, for tail, at the start) with a ~."""
    s = re.sub(r'["\\\s]+', " ", s).strip()
    if len(s) <= width:
        return s
    return "~" + s[1 - width:] if tail else s[:width - 1] + "~"


def need_gnuplot():
    """gnuplot's path, looked for before anything is drawn."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        raise ToolFailed("gnuplot not found on PATH (Debian package gnuplot-nox)")
    return gnuplot


def dumb_chart(gnuplot, script):
    """Run a gnuplot script on the dumb terminal, return its text."""
    head = f"set terminal dumb size {DUMB_COLS},{DUMB_ROWS} mono\nset output\n"
    res = subprocess.run([gnuplot], input=head + script, capture_output=True, text=True,
                 check=False)
    if res.returncode:
        raise ToolFailed(f"gnuplot failed: {res.stderr.strip()}")
    lines = [l.rstrip() for l in res.stdout.replace("\f", "").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines or max(map(len, lines)) > DUMB_COLS:
        raise ToolFailed("gnuplot gave no chart or one wider than "
                   f"{DUMB_COLS} columns")
    return "\n".join(lines) + "\n"


def gain_note(k, s):
    """The report's gain of side k, as its table shows it; none for the baseline."""
    if k == 0:
        return ""
    if s["gain"] is None:
        return "(n/a)"
    sign = "~" if s["small"] and s["mark"] in ("significant", "exact") else MARK_SIGN[s["mark"]]
    return f"{s['gain']:+.2f}%{sign}"


def bar_colour(k, s):
    """Coloured only where the verdict judges a change (compare's rule)."""
    if k == 0:
        return BASE_COLOUR
    if s["gain"] is None or not s["judged"]:
        return SIDE_COLOUR
    return BETTER_COLOUR if s["gain"] > 0 else WORSE_COLOUR


def title(label, fig):
    """A group's label, wrapped to the figure's width (about 11 characters per inch)."""
    return "\n".join(textwrap.wrap(label, int(fig.get_figwidth() * 11)))


LEGEND = ("gain: + is better;  * significant (Welch t, alpha={alpha:g});  "
      "= exact (deterministic);  ~ below the effect floor;  ? too few samples;  "
      "colour: a change the verdict judges")


def save_report_figure(fig, rep, stem):
    """The legend of the marks in a footer, then the files."""
    fig.text(0.01, 0.01, LEGEND.format(alpha=rep["alpha"]), fontsize=6.5, color="#555")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    save_figure(fig, stem)


def time_figure(rep, g, stem):
    m = g["metrics"]["time"]
    sides = m["sides"]
    x = range(len(sides))
    mean = [s["mean"] if s["mean"] is not None else 0.0 for s in sides]
    err = [[0.0 if s["ci"][0] is None or s["mean"] is None else s["mean"] - s["ci"][0]
        for s in sides],
           [0.0 if s["ci"][1] is None or s["mean"] is None else s["ci"][1] - s["mean"]
        for s in sides]]
    fig, ax = plt.subplots(figsize=(max(4.5, 1.3 * len(sides) + 2.5), 3.8))
    ax.bar(x, mean, yerr=err, capsize=6, width=0.6,
           color=[bar_colour(k, s) for k, s in enumerate(sides)])
    top = max(m + e for m, e in zip(mean, err[1])) or 1.0
    for k, s in enumerate(sides):
        text = "n/a" if s["mean"] is None else f"{s['mean']:.4g}\n{gain_note(k, s)}"
        ax.text(k, mean[k] + err[1][k] + 0.02 * top, text.strip(), ha="center",
            va="bottom", fontweight="bold" if s["mark"] == "significant" else None)
    ax.set_ylim(0, top * 1.25)
    ax.set_xticks(list(x), rep["sides"])
    ax.set_ylabel(f"time, {m['unit']} (mean, {100 * (1 - rep['alpha']):g}% CI)")
    ax.set_title(title(g["label"], fig))
    save_report_figure(fig, rep, stem)


def tlb_counters(g):
    """The group's headline TLB counters not zero everywhere, in the report's order."""
    return [c for c, m in g["metrics"].items() if m["tlb"] and not m["zero"]]


def tlb_figure(rep, g, stem, counters):
    metrics = g["metrics"]
    n = len(rep["sides"])
    fig, axes = plt.subplots(1, len(counters), squeeze=False,
                 figsize=(max(4.5, (0.5 * n + 1.4) * len(counters) + 0.8), 3.8))
    colours = [BASE_COLOUR] + [plt.cm.tab10(k - 1) for k in range(1, n)]
    for ax, c in zip(axes[0], counters):
        split = f"{c}:user" in metrics and f"{c}:kernel" in metrics
        parts = (("user", None), ("kernel", "//")) if split else (("total", ".."),)
        bottom = [0.0] * n
        for part, hatch in parts:
            sides = metrics[c if part == "total" else f"{c}:{part}"]["sides"]
            h = [s["mean"] or 0.0 for s in sides]
            ax.bar(range(n), h, bottom=bottom, width=0.7, color=colours,
                   hatch=hatch, edgecolor="white" if hatch else None, linewidth=0)
            bottom = [b + v for b, v in zip(bottom, h)]
        for k, s in enumerate(metrics[c]["sides"]):
            ax.text(k, bottom[k], gain_note(k, s), ha="center", va="bottom", fontsize=7.5,
                fontweight="bold" if s["mark"] == "significant" else None)
        ax.set_ylim(0, (max(bottom) or 1.0) * 1.3)  # room for the notes and legend
        ax.set_xticks(range(n), rep["sides"], rotation=30 if n > 2 else 0)
        ax.set_title(c if split else f"{c}\n(no user/kernel split)")
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
    axes[0][0].set_ylabel(f"{metrics[counters[0]]['unit']} per repetition (mean)")
    axes[0][-1].legend(handles=[Patch(facecolor="#999", label="user"),
                       Patch(facecolor="#999", hatch="//", edgecolor="white", label="kernel")],
               loc="upper right", ncol=2, fontsize=7)
    fig.suptitle(title(g["label"], fig))
    save_report_figure(fig, rep, stem)


def gp_bars(name, heading, sides, labels, errors):
    """gnuplot datablock and plot command of one panel of bars."""
    rows = []
    for k, s in enumerate(sides):
        tic = gp_str(labels[k]) + (f"\\n{gain_note(k, s)}" if k else "")
        mean = s["mean"] if s["mean"] is not None else 0.0
        lo, hi = (v if v is not None else mean for v in s["ci"])
        rows.append(f'{k} "{tic}" {mean!r} {lo!r} {hi!r}')
    data = f"${name} << EOD\n" + "\n".join(rows) + "\nEOD\n"
    plot = (f'set title "{heading}"\n'
            f"plot ${name} using 1:3:xtic(2) with boxes"
            + (", '' using 1:3:4:5 with yerrorbars" if errors else "") + "\n")
    return data, plot


def text_chart(gnuplot, rep, g):
    metrics = g["metrics"]
    n = len(rep["sides"])
    time = metrics["time"]
    panels = [gp_bars("time", f"time {time['unit']} (mean, {100 * (1 - rep['alpha']):g}% CI)",
              time["sides"], rep["sides"], True)]
    tlb = tlb_counters(g)
    if tlb:
        panels.append(gp_bars("tlb", f"{gp_str(tlb[0], 24)} per rep (mean)",
                      metrics[tlb[0]]["sides"], rep["sides"], False))
    script = "".join(d for d, _ in panels)
    script += (f"set multiplot layout 1,{len(panels)}\n"
           "set style fill solid 0.5\nset boxwidth 0.5\nunset key\n"
           "set xtics scale 0\n" + GP_AXES +
           f"set xrange [-0.6:{n - 0.4}]\nset yrange [0:*]\n")
    script += "".join(p for _, p in panels) + "unset multiplot\n"
    return dumb_chart(gnuplot, script)


def report(args):
    rep = read_report(load_json(args.input))
    gnuplot = need_gnuplot()
    os.makedirs(args.outdir, exist_ok=True)
    for g in rep["groups"]:
        stem = os.path.join(args.outdir, g["slug"])
        time_figure(rep, g, stem)
        counters = tlb_counters(g)
        if counters:
            tlb_figure(rep, g, stem + "-tlb", counters)
        else:
            for ext in ("svg", "png"):
                if os.path.exists(f"{stem}-tlb.{ext}"):
                    os.unlink(f"{stem}-tlb.{ext}")
        save_text(stem + ".txt", text_chart(gnuplot, rep, g))


def sweep_panels(sw):
    """Per cost metric: its name, the points measured, and the front among them."""
    y = sw["y"]
    for name, x in sw["costs"]:
        pts = [i for i in range(len(x)) if x[i] is not None and y[i] is not None]
        front = [pts[j] for j in pareto_front([x[i] for i in pts], [y[i] for i in pts])]
        yield name, x, pts, front


def sweep_figure(sw, knob, stem):
    y, panels = sw["y"], list(sweep_panels(sw))
    fig, axes = plt.subplots(1, len(panels), squeeze=False, sharey=True,
                             figsize=(0.6 + 4.6 * len(panels), 4.4))
    for ax, (name, x, pts, front) in zip(axes[0], panels):
        ax.scatter([x[i] for i in pts], [y[i] for i in pts], color=SIDE_COLOUR, zorder=3,
                   label=f"{knob} value")
        ax.plot([x[i] for i in front], [y[i] for i in front], color=WORSE_COLOUR,
                marker="o", mfc="none", ms=11, zorder=2, label="Pareto front")
        for i in pts:
            ax.annotate(f"{sw['values'][i]}", (x[i], y[i]), textcoords="offset points",
                        xytext=(6, 4), fontsize=8)
        ax.axhline(0, color="#bbb", linewidth=0.8)
        ax.set_xlabel("cost (lower is better)")
        ax.set_title("\n".join(textwrap.wrap(name, 45)), fontsize=8.5)
        missing = [f"{v}" for i, v in enumerate(sw["values"]) if i not in pts]
        if missing:
            ax.text(0.99, 0.02, f"not measured: {', '.join(missing)}", fontsize=7,
                    ha="right", transform=ax.transAxes)
    axes[0][0].set_ylabel("\n".join(textwrap.wrap(
        f"{sw['benefit']} (against {knob}={sw['values'][0]})", 50)), fontsize=8.5)
    axes[0][0].legend(fontsize=8, loc="upper left")
    fig.suptitle(f"{knob}: TLB refills saved against cost")
    fig.tight_layout()
    save_figure(fig, stem)


def sweep_text(gnuplot, sw, knob):
    """One dumb chart per cost metric, one after the other."""
    charts = []
    for name, x, pts, front in sweep_panels(sw):
        y = sw["y"]
        data = "\n".join(f'{x[i]!r} {y[i]!r} "{gp_str(str(sw["values"][i]), 8)}"' for i in pts)
        fr = "\n".join(f"{x[i]!r} {y[i]!r}" for i in front)
        script = (f"$pts << EOD\n{data}\nEOD\n$front << EOD\n{fr}\nEOD\n" + GP_AXES +
                  "set offsets graph 0.1, graph 0.1, graph 0.15, graph 0.1\n"
                  "set key bottom right\n"
                  f'set xlabel "cost: {gp_str(name, 70)}"\n'
                  f'set title "{gp_str(sw["benefit"], 50, tail=True)} vs {gp_str(knob, 24)}='
                  f'{gp_str(str(sw["values"][0]), 8)}"\n'
                  "plot $front using 1:2 with lines title 'Pareto front', "
                  "$pts using 1:2 with points pt 'o' notitle, "
                  "$pts using 1:2:3 with labels offset 0,1 notitle\n")
        charts.append(dumb_chart(gnuplot, script))
    return "\n".join(charts)


def sweep(args):
    sw = read_sweep(load_json(args.input), args.cost, args.benefit)
    gnuplot = need_gnuplot()
    knob = args.knob or "knob"
    os.makedirs(args.outdir, exist_ok=True)
    stem = os.path.join(args.outdir, args.name)
    sweep_figure(sw, knob, stem)
    save_text(stem + ".txt", sweep_text(gnuplot, sw, knob))


def main():
    ap = argparse.ArgumentParser(prog="plot.py", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("report", help="figures of a tlbbench compare JSON report")
    r.set_defaults(run=report)
    s = sub.add_parser("sweep", help="trade-off figure of a threshold sweep")
    s.set_defaults(run=sweep)
    s.add_argument("--knob", help="the swept knob's name, for titles")
    s.add_argument("--cost", help="draw only this cost metric (default: one chart per cost metric)")
    s.add_argument("--benefit",
                   help="the benefit metric (default: the first key of the first point)")
    s.add_argument("--name", default="sweep", help="file name stem (default: sweep)")
    for p in (r, s):
        p.add_argument("input")
        p.add_argument("outdir")
    args = ap.parse_args()
    try:
        args.run(args)
    except BadInput as e:
        print(f"plot.py: {args.input}: {e}", file=sys.stderr)
        return 1
    except ToolFailed as e:
        print(f"plot.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
