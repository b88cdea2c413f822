"""How long the radar chart takes to draw, and what scoring and planning cost beside it.

    python -m bench.bench_chart [RUNS]      # default 30 charts, after one cold first chart

The first chart in a process also imports matplotlib (the chart module loads it lazily), so it
is reported on its own. The rest cycle through the three test companies in both languages.
"""

from __future__ import annotations

import statistics
import sys
import time
from itertools import cycle, islice

from bench.stats import percentile
from bot import LANGS
from bot.assessment.chart import radar_png
from bot.assessment.planner import make_plan
from bot.assessment.scoring import score
from bot.config import Paths
from bot.content.loader import load_knowledge
from tests.companies import COMPANIES


def report(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{name}: median {statistics.median(ms):.2f} ms, p99 {percentile(ms, 99):.2f} ms,"
        f" max {max(ms):.2f} ms over {len(ms)} runs"
    )


def main(runs: int = 30) -> None:
    paths = Paths.from_env()
    knowledge = load_knowledge(paths.knowledge, paths.seeds)
    cases = [(a, lang) for a in COMPANIES.values() for lang in LANGS]
    results = {id(a): score(knowledge.assessment, a) for a, _ in cases}

    started = time.perf_counter()
    first = radar_png(results[id(cases[0][0])], knowledge.assessment, cases[0][1])
    print(
        f"first chart, with the matplotlib import: {(time.perf_counter() - started) * 1000:.0f} ms"
    )

    timings: list[float] = []
    sizes: list[int] = [len(first)]
    for answers, lang in islice(cycle(cases), runs):
        started = time.perf_counter()
        png = radar_png(results[id(answers)], knowledge.assessment, lang)
        timings.append(time.perf_counter() - started)
        sizes.append(len(png))
    report("radar_png", timings)
    print(f"PNG size: {min(sizes) / 1000:.1f}-{max(sizes) / 1000:.1f} kB (800 x 800 px)")

    planning: list[float] = []
    for answers, _ in islice(cycle(cases), 1000):
        started = time.perf_counter()
        result = score(knowledge.assessment, answers)
        make_plan(knowledge, answers, result)
        planning.append(time.perf_counter() - started)
    report("score + make_plan", planning)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
