#!/usr/bin/env python3
"""Markdown tables from JMH JSON results (Python 3 standard library only).

  tables.py peers [--baseline NAME] [--env FILE] RESULT.json...
      One table per benchmark shape and parameter set (fan-out, diamond, layered DAG), with the
      median of every benchmark and its ratio to the shape's raw-thread variant of the same run;
      the scale benchmarks as one table per task shape, rows by size. --env prepends a file of
      "key: value" lines (CPU, JDK, date; benchmarks/run-short writes it).

  tables.py commits DIR BASELINE LABEL=SHA...
      The table of benchmarks/compare-commits: DIR holds rR-SHA.json for every round R.
"""

import argparse
import json
import pathlib
import re
import statistics
import sys

from jmhresults import groups, load, ratio

SCALE_COLUMNS = {
    # task shape: [(secondary metric, column heading, format)]
    "sleep": [
        ("wallMs", "wall ms", "{:,.1f}"),
        ("forkNsPerTask", "fork ns/task", "{:,.0f}"),
        ("forkNsPerTaskOutsideGc", "fork ns/task outside GC", "{:,.0f}"),
        ("peakHeapMB", "peak heap MB", "{:,.0f}"),
    ],
    "alive": [
        ("wallMs", "wall ms", "{:,.1f}"),
        ("forkNsPerTask", "fork ns/task", "{:,.0f}"),
        ("forkNsPerTaskOutsideGc", "fork ns/task outside GC", "{:,.0f}"),
        ("liveBytesPerTask", "live heap B/task", "{:,.0f}"),
    ],
}
SCALE_SHAPES = {
    "sleep": "every task sleeps 10 ms",
    "alive": "all tasks alive at once (each waits on one latch, opened after the last fork)",
}
ALLOC = "gc.alloc.rate.norm"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}"


def fmt_time(v):
    return f"{v:,.1f}" if v >= 10 else f"{v:.2f}"


def settings(results):
    runs = sorted({json.dumps(r.run, sort_keys=True) for r in results})
    lines = []
    for run in map(json.loads, runs):
        lines.append(
            f"- JMH {run['jmh']}, {run['vm']} {run['jdk']}: {run['forks']} fork(s), warm-up "
            f"{run['warmup']}, measurement {run['measurement']}; fork JVM args: "
            f"`{run['jvmArgs'] or '(none)'}`"
        )
    return lines


def peer_tables(results, baseline):
    out = []
    scale = [r for r in results if r.shape == "Scale"]
    for members, base in groups([r for r in results if r.shape != "Scale"], baseline):
        first = members[0]
        title = first.shape_name + (f" ({first.params_text})" if first.params else "")
        unit = first.unit
        base_name = f"`{base.variant}`" if base else "baseline"
        has_alloc = any(r.median(ALLOC) is not None for r in members)
        out.append(f"### {title}")
        out.append("")
        head = f"| benchmark | median {unit} (range) | / {base_name} |"
        rule = "|---|---:|---:|"
        if has_alloc:
            head += " alloc B/op |"
            rule += "---:|"
        out += [head, rule]
        for r in members:
            lo, hi = r.range()
            name = f"**`{r.variant}`**" if r.variant.startswith("weft") else f"`{r.variant}`"
            row = (
                f"| {name} | {fmt_time(r.median())} ({fmt_time(lo)}-{fmt_time(hi)}) "
                f"| {fmt_ratio(ratio(r, base)) if r is not base else '1.00'} |"
            )
            if has_alloc:
                a = r.median(ALLOC)
                row += f" {a:,.0f} |" if a is not None else " - |"
            out.append(row)
        out.append("")
    if scale:
        out += scale_tables(scale, baseline)
    return out


def scale_tables(results, baseline):
    out = []
    for shape, columns in SCALE_COLUMNS.items():
        rows = [r for r in results if r.params.get("shape") == shape]
        if not rows:
            continue
        has_alloc = any(r.median(ALLOC) is not None for r in rows)
        out.append(f"### scale, {shape}: {SCALE_SHAPES[shape]}")
        out.append("")
        head = "| n | benchmark |" + "".join(f" {h} | / raw |" for _, h, _ in columns)
        rule = "|---:|---|" + "---:|---:|" * len(columns)
        if has_alloc:
            head += " alloc B/task |"
            rule += "---:|"
        out += [head, rule]
        for members, base in groups(rows, baseline):
            for r in members:
                n = int(r.params["n"])
                cells = []
                for metric, _, f in columns:
                    v = r.median(metric)
                    cells.append("-" if v is None else f.format(v))
                    cells.append(fmt_ratio(ratio(r, base, metric)) if r is not base else "1.00")
                row = f"| {n:,} | `{r.variant}` | " + " | ".join(cells) + " |"
                if has_alloc:
                    a = r.median(ALLOC)
                    row += f" {a / n:,.0f} |" if a is not None else " - |"
                out.append(row)
        out.append("")
    out.append(
        "Medians of the measured single shots. wall: first fork to last task ended, without the"
        " heap probe of `alive`; fork: first fork until the last fork returned, per task; outside"
        " GC: the same without the collector pauses that ended in that time (counted in whole"
        " milliseconds); peak heap: largest used heap (before a collection or at the end) above the live heap before"
        " the shot, with garbage; live heap: after a full collection with all tasks waiting, above"
        " the live heap before, per task."
    )
    out.append("")
    return out


def peers(args):
    results = [r for path in args.json for r in load(path)]
    out = []
    if args.env:
        out += [f"- {line}" for line in pathlib.Path(args.env).read_text().splitlines() if line]
    out += settings(results)
    out.append(
        "- every figure is the median of the measured iterations (all forks); ratios divide"
        " medians of the same run; ranges are the lowest and highest iteration"
    )
    out.append("")
    out += peer_tables(results, args.baseline)
    print("\n".join(out))


def commits(args):
    out, baseline, labels = pathlib.Path(args.dir), args.baseline, args.labels
    print(open(out / "env.txt").read().rstrip())
    print()
    print("| commit | benchmark | params | median (range) | / %s, same JVM runs |" % baseline)
    print("|---|---|---|---:|---:|")
    for label in labels:
        name, sha = label.split("=")
        per_key, per_round, units = {}, {}, {}
        for f in sorted(out.glob(f"r*-{sha}.json")):
            rnd = re.match(r"r(\d+)-", f.name).group(1)
            for r in load(f):
                key = (r.method, json.dumps(r.params, sort_keys=True))
                per_key.setdefault(key, []).extend(r.iterations)
                units[key] = r.unit
                per_round.setdefault((rnd, key[1]), {})[key[0]] = r.median()
        for (bench, params), its in sorted(per_key.items()):
            ratios = [
                v[bench] / v[baseline]
                for (rnd, p), v in sorted(per_round.items())
                if p == params and bench in v and baseline in v
            ]
            ratio_text = ", ".join("%.2f" % x for x in ratios) if bench != baseline else "-"
            p = ", ".join(f"{k}={v}" for k, v in json.loads(params).items())
            print(
                f"| {name} ({sha}) | {bench} | {p} | {statistics.median(its):.1f} "
                f"({min(its):.1f}-{max(its):.1f}) {units[(bench, params)]} | {ratio_text} |"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("peers", help="tables of one run: every benchmark against its baseline")
    p.add_argument("--baseline", help="baseline method name (default: the raw... variant)")
    p.add_argument("--env", help="file of 'key: value' lines to print first")
    p.add_argument("json", nargs="+")
    p.set_defaults(func=peers)
    c = sub.add_parser("commits", help="the table of benchmarks/compare-commits")
    c.add_argument("dir")
    c.add_argument("baseline")
    c.add_argument("labels", nargs="+", metavar="LABEL=SHA")
    c.set_defaults(func=commits)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())
