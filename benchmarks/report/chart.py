#!/usr/bin/env python3
"""An SVG chart from JMH JSON results (Python 3 standard library only).

  chart.py [--baseline NAME] [--title TEXT] OUT.svg RESULT.json...

Top: one panel per benchmark shape and parameter set (fan-out, diamond, layered DAG), a bar per
benchmark: the ratio of its median to the median of the shape's raw-thread variant in the same
run (the line at 1). Bottom, if the results hold the scale benchmarks: the fork phase per task
against the number of tasks (both axes logarithmic), and the heap (peak for `sleep`, live per task for
`alive`), one line per benchmark. The figures are the same as in tables.py's tables.
"""

import argparse
import math
import sys
from html import escape

from jmhresults import groups, load, ratio

COLORS = {
    "raw": "#7f7f7f",
    "jdk": "#7f7f7f",
    "guava": "#8c564b",
    "weft-off": "#aec7e8",
    "weft": "#1f77b4",
    "structuredTaskScope": "#ff7f0e",
    "executorPerOp": "#2ca02c",
    "completableFuture": "#9467bd",
}
WIDTH = 760


def color(method):
    best = max((k for k in COLORS if method.startswith(k)), key=len, default=None)
    if method.startswith("completableFutureInline"):
        return "#c5b0d5"
    return COLORS.get(best, "#8c564b")


class Svg:
    def __init__(self):
        self.parts = []
        self.y = 0

    def text(self, x, y, s, anchor="start", weight="normal", size=12):
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
            f'font-family="sans-serif" font-size="{size}">{escape(s)}</text>'
        )

    def rect(self, x, y, w, h, fill):
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
            f'fill="{fill}"/>'
        )

    def line(self, x1, y1, x2, y2, stroke="#000", dash=None, width=1):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}"{d}/>'
        )

    def polyline(self, points, stroke):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="2"/>'
        )
        for x, y in points:
            self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{stroke}"/>')

    def render(self):
        h = self.y + 20
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{h:.0f}" '
            f'viewBox="0 0 {WIDTH} {h:.0f}">\n<rect width="100%" height="100%" fill="#fff"/>\n'
            + "\n".join(self.parts)
            + "\n</svg>\n"
        )


def ratio_panels(svg, results, baseline):
    left, right, bar = 230, WIDTH - 70, 16
    for members, base in groups(results, baseline):
        if base is None:
            continue
        first = members[0]
        title = first.shape_name + (f" ({first.params_text})" if first.params else "")
        svg.y += 24
        svg.text(10, svg.y, f"{title}: median / {base.variant}, same run", weight="bold")
        svg.y += 8
        ratios = [(r, ratio(r, base)) for r in members]
        top = max([x for _, x in ratios if x] + [1.0])
        scale_max = max(2.0, math.ceil(top * 2) / 2)
        px = (right - left) / scale_max
        y0 = svg.y
        for r, x in ratios:
            svg.text(left - 6, svg.y + 12, r.variant, anchor="end")
            if x is not None:
                svg.rect(left, svg.y + 2, x * px, bar - 4, color(r.variant))
                svg.text(left + x * px + 4, svg.y + 12, f"{x:.2f}x")
            svg.y += bar
        svg.line(left + px, y0, left + px, svg.y, stroke="#d62728", dash="4,3")
        svg.line(left, y0, left, svg.y)
        svg.text(left + px, svg.y + 12, "1 (baseline)", anchor="middle", size=10)
        svg.text(right, svg.y + 12, f"{scale_max:g}x", anchor="end", size=10)
        svg.y += 14


def line_plot(svg, x0, y_top, w, h, title, series, y_label):
    """series: {method: [(n, value)]}; both axes logarithmic (values <= 0 are left out)."""
    ns = sorted({n for pts in series.values() for n, _ in pts})
    vals = [v for pts in series.values() for _, v in pts if v is not None and v > 0]
    if not ns or not vals:
        return
    lo, hi = math.log10(ns[0]), math.log10(ns[-1])
    v_lo = math.floor(math.log10(min(vals)))
    v_hi = max(math.ceil(math.log10(max(vals))), v_lo + 1)

    def xy(n, v):
        fx = 0.5 if hi == lo else (math.log10(n) - lo) / (hi - lo)
        fy = (math.log10(v) - v_lo) / (v_hi - v_lo)
        return x0 + fx * w, y_top + h - fy * h

    svg.text(x0, y_top - 8, title, weight="bold")
    svg.line(x0, y_top + h, x0 + w, y_top + h)
    svg.line(x0, y_top, x0, y_top + h)
    for e in range(v_lo, v_hi + 1):
        _, y = xy(ns[0], 10.0**e)
        svg.line(x0, y, x0 + w, y, stroke="#ddd")
        svg.text(x0 - 4, y + 4, f"{10**e:,}" if e >= 0 else f"{10.0**e:g}", anchor="end", size=10)
    svg.text(x0 - 4, y_top - 8, y_label, anchor="end", size=10)
    for n in ns:
        x, _ = xy(n, 10.0**v_lo)
        svg.text(x, y_top + h + 14, f"{n:,}", anchor="middle", size=10)
    svg.text(x0 + w / 2, y_top + h + 28, "tasks in the scope", anchor="middle", size=10)
    for i, (method, pts) in enumerate(sorted(series.items())):
        points = [xy(n, v) for n, v in sorted(pts) if v is not None and v > 0]
        svg.polyline(points, color(method))
        svg.text(x0 + w + 18, y_top + 12 + 14 * i, method, size=10)
        svg.rect(x0 + w + 8, y_top + 4 + 14 * i, 6, 8, color(method))


def scale_panels(svg, results):
    scale = [r for r in results if r.shape == "Scale"]
    for shape, heap_metric, heap_label in [
        ("sleep", "peakHeapMB", "peak heap MB"),
        ("alive", "liveBytesPerTask", "live B/task"),
    ]:
        rows = [r for r in scale if r.params.get("shape") == shape]
        if not rows:
            continue
        fork, heap = {}, {}
        for r in rows:
            n = int(r.params["n"])
            fork.setdefault(r.method, []).append((n, r.median("forkNsPerTask")))
            heap.setdefault(r.method, []).append((n, r.median(heap_metric)))
        svg.y += 44
        line_plot(svg, 70, svg.y, 200, 150, f"scale, {shape}: fork phase per task", fork, "ns")
        line_plot(svg, 440, svg.y, 180, 150, f"scale, {shape}: {heap_label}", heap, "")
        svg.y += 150 + 36


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="baseline method name (default: the raw... variant)")
    parser.add_argument("--title", default="Weft and its peers (JMH, medians of iterations)")
    parser.add_argument("out")
    parser.add_argument("json", nargs="+")
    args = parser.parse_args()
    results = [r for path in args.json for r in load(path)]
    svg = Svg()
    svg.y = 20
    svg.text(10, svg.y, args.title, weight="bold", size=14)
    ratio_panels(svg, [r for r in results if r.shape != "Scale"], args.baseline)
    scale_panels(svg, results)
    with open(args.out, "w") as f:
        f.write(svg.render())


if __name__ == "__main__":
    sys.exit(main())
