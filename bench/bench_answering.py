"""Speed and memory of question answering.

    python -m bench.bench_answering

- knowledge base loaded and indexed: target under 1.5 s
- answering 1,000 questions after that, on one core: target p99 under 20 ms each; timed apart
  for the short held-out questions and for the real questions people asked (tests/data/real.yaml:
  long stories, up to 1,000 characters), since length is what costs
- memory of the whole process (peak resident set): target under 250 MB
"""

from __future__ import annotations

import os
import resource
import statistics
import time

from bench.qa_quality import Case, heldout_cases, real_cases
from bot.answering.answerer import Answerer
from bot.app import keep_for_life
from bot.config import Paths
from bot.content.loader import load_knowledge


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    started = time.perf_counter()
    paths = Paths.from_env()
    knowledge = load_knowledge(paths.knowledge, paths.seeds)
    loaded = time.perf_counter()
    answerer = Answerer(knowledge)
    keep_for_life()  # as the adviser does once it is built
    indexed = time.perf_counter()

    print(f"load knowledge:        {1000 * (loaded - started):7.1f} ms")
    print(f"build indexes:         {1000 * (indexed - loaded):7.1f} ms")
    print(f"load + index:          {1000 * (indexed - started):7.1f} ms   (target < 1,500 ms)")
    real = real_cases("calibration") + real_cases("untuned")
    for name, cases in (("held-out questions", heldout_cases()), ("real questions", real)):
        timings = _timed(answerer, cases)
        print(f"{name}, answer median: {statistics.median(timings):7.2f} ms")
        print(f"{name}, answer p99:    {timings[989]:7.2f} ms   (target < 20 ms, 1,000 questions)")
        print(f"{name}, answer max:    {timings[-1]:7.2f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS):     {peak_mb:7.1f} MB   (target < 250 MB)")
    return 0


def _timed(answerer: Answerer, cases: list[Case]) -> list[float]:
    """Milliseconds per answer over 1,000 questions (the cases repeated), half of them without a
    language, so that detecting it is timed too; sorted."""
    questions = [(c.question, c.lang if i % 2 else None) for i, c in enumerate(cases)]
    questions = (questions * (1000 // len(questions) + 1))[:1000]
    timings = []
    for question, lang in questions:
        t0 = time.perf_counter()
        answerer.answer(question, lang)
        timings.append((time.perf_counter() - t0) * 1000)
    return sorted(timings)


if __name__ == "__main__":
    raise SystemExit(main())
