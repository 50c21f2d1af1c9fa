"""What the dataflow layer adds to a full analysis: `python benchmarks/dataflow_overhead.py DIR...`.

Runs `analyze_source` over every .py file under DIR on one core, in three modes, and prints
the medians of 3 interleaved runs, in CPU time of this process (wall time on a shared
machine is too noisy to see a 5% difference):

  off     -- no dataflow tracker at all
  record  -- the tracker records events in the walk, nobody asks it anything
  query   -- plus a stand-in for the AIL3/AIL5/AIL6 rules that asks `sources_of` for every
             argument of every call that looks like an AI request, a log call or a dangerous
             sink (far more queries than the real rules make)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import libcst as cst

from linter.config import Config
from linter.engine import analyze, dataflow
from linter.rules import all_rules
from linter.rules.base import Rule

_SINKISH = {"create", "acreate", "invoke", "ainvoke", "generate_content", "chat", "complete", "stream",
            "info", "debug", "warning", "error", "exception", "log", "eval", "exec", "execute", "system",
            "run", "predict", "embed", "messages", "format", "print"}


class _Probe(Rule):
    code = "AIL999"
    name = "dataflow-probe"
    queries = 0
    found = 0

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if last in _SINKISH:
            for arg in node.args:
                _Probe.queries += 1
                _Probe.found += len(self.ctx.dataflow.sources_of(arg.value))


class _Off:
    pass


def _run(files: list[tuple[str, bytes]], mode: str) -> float:
    config = Config(root=".")
    rules = [r for r in all_rules() if r is not _Probe] + ([_Probe] if mode == "query" else [])
    original = dataflow.DataflowTracker.__dict__["for_context"]
    if mode == "off":
        dataflow.DataflowTracker.for_context = classmethod(lambda cls, ctx: _Off())  # type: ignore[assignment]
    try:
        start = time.process_time()
        for path, data in files:
            analyze.analyze_source(path, data, config, rules)
        return time.process_time() - start
    finally:
        dataflow.DataflowTracker.for_context = original  # type: ignore[assignment]


def main(roots: list[str]) -> None:
    files = [(str(p), p.read_bytes()) for root in roots for p in sorted(Path(root).rglob("*.py"))]
    print(f"{len(files)} files, {sum(len(d) for _, d in files) / 1e6:.1f} MB")
    times: dict[str, list[float]] = {"off": [], "record": [], "query": []}
    for _ in range(3):
        for mode in times:
            times[mode].append(_run(files, mode))
    base = statistics.median(times["off"])
    for mode, values in times.items():
        median = statistics.median(values)
        print(f"{mode:7s} {median:7.2f} s  {100 * (median / base - 1):+6.1f}%")
    print(f"queries per run: {_Probe.queries // 3}, sources found per run: {_Probe.found // 3}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["."])
