"""Reading JMH JSON result files (-rf json): one Result per benchmark and parameter set.

Shared by tables.py (Markdown) and chart.py (SVG), and through tables.py by
benchmarks/compare-commits. Python 3 standard library only.

Every figure is a median of measured iterations (JMH's rawData, all forks together), never JMH's
mean: on a shared machine a few slow iterations move the mean, not the median. A ratio divides
the medians of two benchmarks of the same run and parameters.
"""

import json
import re
import statistics
from dataclasses import dataclass, field

# Display names and order of the benchmark shapes; a shape is a benchmark class without its
# "Benchmark" suffix and without "Sts" (the StructuredTaskScope classes of benchmarks-jdk25 join
# the shape of the class they mirror). FanOutBenchmark's ...Diamond methods form their own shape.
SHAPES = {
    "FanOut": "fan-out",
    "FanOut.diamond": "diamond",
    "LayeredDag": "layered DAG",
    "Scale": "scale",
    "Mechanism": "mechanisms",
    "LockOrder": "lock order",
}

# Shapes whose variants are a JMH parameter rather than a method: LockOrderBenchmark's impl.
VARIANT_PARAMS = {"LockOrder": "impl"}


@dataclass
class Result:
    cls: str  # simple class name, e.g. FanOutStsBenchmark
    method: str  # e.g. structuredTaskScope
    params: dict  # JMH parameters, values as strings
    mode: str  # avgt, ss, ...
    unit: str  # us/op, ms/op, ...
    iterations: list  # measured values of the primary metric, all forks
    secondary: dict = field(default_factory=dict)  # name -> list of measured values
    run: dict = field(default_factory=dict)  # forks, warm-up, measurement, JVM, JMH version

    @property
    def shape(self):
        base = re.sub(r"Sts(?=Benchmark$)", "", self.cls).removesuffix("Benchmark")
        if base == "FanOut" and self.method.endswith("Diamond"):
            return "FanOut.diamond"
        return base

    @property
    def shape_name(self):
        return SHAPES.get(self.shape, self.shape)

    @property
    def variant(self):
        """What differs between the benchmarks of a group: the method, or LockOrder's impl."""
        p = VARIANT_PARAMS.get(self.shape)
        return self.params[p] if p in self.params else self.method

    @property
    def group_params(self):
        p = VARIANT_PARAMS.get(self.shape)
        return {k: v for k, v in self.params.items() if k != p}

    @property
    def params_text(self):
        return ", ".join(f"{k}={v}" for k, v in self.group_params.items())

    @property
    def group(self):
        """Benchmarks compared with each other: same shape, same parameters but the variant."""
        return (self.shape, json.dumps(self.group_params, sort_keys=True))

    def median(self, metric=None):
        values = self.iterations if metric is None else self.secondary.get(metric)
        return statistics.median(values) if values else None

    def range(self, metric=None):
        values = self.iterations if metric is None else self.secondary.get(metric)
        return (min(values), max(values)) if values else None


def load(path):
    """The Results of one JMH JSON file, in file order."""
    with open(path) as f:
        data = json.load(f)
    results = []
    for b in data:
        cls, method = b["benchmark"].rsplit(".", 2)[-2:]
        pm = b["primaryMetric"]
        secondary = {
            name: [x for fork in m.get("rawData", []) for x in fork]
            for name, m in b.get("secondaryMetrics", {}).items()
        }
        run = {
            "jmh": b.get("jmhVersion"),
            "jdk": b.get("jdkVersion"),
            "vm": b.get("vmName"),
            "forks": b.get("forks"),
            "warmup": f'{b.get("warmupIterations")} x {b.get("warmupTime")}',
            "measurement": f'{b.get("measurementIterations")} x {b.get("measurementTime")}',
            "jvmArgs": " ".join(b.get("jvmArgs", [])),
        }
        results.append(
            Result(
                cls=cls,
                method=method,
                params=b.get("params", {}),
                mode=b["mode"],
                unit=pm["scoreUnit"].replace("us/", "µs/"),
                iterations=[x for fork in pm["rawData"] for x in fork],
                secondary=secondary,
                run=run,
            )
        )
    return results


def is_baseline(result, baseline=None):
    """The baseline of a group: the variant named `baseline`, or else the raw-thread variant
    (LockOrder: the plain ReentrantLock, impl=jdk)."""
    if baseline:
        return result.variant == baseline
    return result.variant.startswith("raw") or result.variant == "jdk"


def groups(results, baseline=None):
    """(group results in order, baseline Result or None) per group, in the order of SHAPES."""
    by_group = {}
    for r in results:
        by_group.setdefault(r.group, []).append(r)
    order = list(SHAPES)

    def sort_key(item):
        (shape, params), _ = item
        numeric = tuple(
            int(v) if str(v).isdigit() else 0 for v in json.loads(params).values()
        )
        return (order.index(shape) if shape in order else len(order), shape, numeric, params)

    out = []
    for _, members in sorted(by_group.items(), key=sort_key):
        base = next((r for r in members if is_baseline(r, baseline)), None)
        members.sort(key=lambda r: (r is not base, variant_rank(r.variant), r.variant))
        out.append((members, base))
    return out


# Order of the variants in a group, after the baseline: Weft, then the peers.
VARIANTS = ["raw", "jdk", "weft", "structuredTaskScope", "executorPerOp", "completableFuture"]


def variant_rank(method):
    return next((i for i, v in enumerate(VARIANTS) if method.startswith(v)), len(VARIANTS))


def ratio(result, base, metric=None):
    """Median of `result` over median of `base` (same metric), or None."""
    if base is None:
        return None
    a, b = result.median(metric), base.median(metric)
    if a is None or not b:
        return None
    return a / b
