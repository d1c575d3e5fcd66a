#!/usr/bin/env python3
"""Splits the perfasm samples of one compiled method by the methods inlined into it.

  perfasm-inlined.py OUTPUT METHOD [--prefix PKG] [--lines] [--top N]

OUTPUT is what benchmarks/perfasm printed (run it with PERFASM_OPTS="hotThreshold=0.005;top=40"
so that every region of the method is disassembled), METHOD a part of the compiled method's name
as perfasm prints it (e.g. 'ForkOverloads::fork'). Every sampled instruction of the method's
regions is charged to the call chain HotSpot recorded for it, or, for an instruction without one,
to the chain of the next instruction that has one (the samples of a software clock land a little
after the instruction that stalled). Rows: the innermost frame in PKG (default dev.weft) and the
outermost frame below it outside PKG (the JDK method it calls); with --lines, the innermost
frame and its source line instead. Percentages are of all the run's samples, as perfasm's.
Python 3 standard library only.
"""

import argparse
import collections
import re
import sys

INSTRUCTION = re.compile(r"^\s+(?:(\d+\.\d+)%)?[\s│╭╰↗↘]*0x[0-9a-f]+:")
FRAME = re.compile(r";\s+-\s+([\w.$]+::[\w<>$]+)@\d+ \(line (\d+)\)")


def regions(lines, method):
    """The instruction lines of every disassembled region of `method`."""
    out, current = [], None
    for i, line in enumerate(lines):
        if line.startswith("....[Hottest Regions]"):
            break
        if line.startswith("....[Hottest Region "):
            current = [] if i + 1 < len(lines) and method in lines[i + 1] else None
            if current is not None:
                out.append(current)
        elif current is not None:
            current.append(line)
    return out


def instructions(region):
    """(share %, [(frame, line), ...] innermost first) per instruction."""
    out = []
    for i, line in enumerate(region):
        m = INSTRUCTION.match(line)
        if not m:
            continue
        frames = []
        for following in region[i + 1 :]:
            if INSTRUCTION.match(following) or not following.strip().startswith(";"):
                break
            f = FRAME.search(following)
            if f:
                frames.append((f.group(1), f.group(2)))
        out.append((float(m.group(1) or 0), frames))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("output")
    p.add_argument("method")
    p.add_argument("--prefix", default="dev.weft")
    p.add_argument("--lines", action="store_true")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    lines = open(args.output, encoding="utf-8").read().split("\n")
    found = regions(lines, args.method)
    if not found:
        sys.exit(f"no disassembled region of {args.method!r} in {args.output}: lower hotThreshold")
    rows, total = collections.Counter(), 0.0
    for region in found:
        ins = instructions(region)
        for k, (share, frames) in enumerate(ins):
            if share == 0:
                continue
            chain = frames or next((f for _, f in ins[k + 1 :] if f), [])
            if args.lines:
                key = f"{chain[0][0].rsplit('.', 1)[-1]}:{chain[0][1]}" if chain else "?"
            else:
                ours = [f for f, _ in chain if f.startswith(args.prefix)]
                below = []
                for f, _ in chain:  # innermost first: the frames before our innermost one
                    if f.startswith(args.prefix):
                        break
                    below.append(f)
                key = (ours[0] if ours else "?") + (f"  -> {below[-1]}" if below else "")
            rows[key] += share
            total += share
    print(f"{args.method}: {total:.2f}% of the samples, in {len(found)} region(s)")
    for key, share in rows.most_common(args.top):
        print(f"{share:6.2f}%  {key}")


if __name__ == "__main__":
    main()
