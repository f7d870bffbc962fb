"""Bench figure of 年度考核: the time to compute a whole round's scorecards at full scale (≈ 2,000 studios with five
years of ledger records; target ≤ 10 s). Seeds a throw-away database with `seed_scale` (whose step_evaluation creates
and starts last year's round through evaluation.services and records `evaluation_round_ms`), then times a second,
warm computation of the same round (`evaluation.services.recompute`: one indicator statement for all studios, the
plans' targets, the annual reports, the adjustments, one bulk UPDATE) and prints both figures.

    .venv/bin/python bench/evaluation_round.py                 # SQLite in var/bench_ev/, scale 1.0
    BENCH_EV_SCALE=0.2 .venv/bin/python bench/evaluation_round.py
    BENCH_EV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench_ev .venv/bin/python bench/evaluation_round.py
      (the PostgreSQL database is dropped and re-created)
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
VAR = ROOT / "var" / "bench_ev"
SCALE = os.environ.get("BENCH_EV_SCALE", "1.0")

TIMING = """
import time
from evaluation import services
from evaluation.models import EvaluationRound
round_ = EvaluationRound.objects.order_by("-year").first()
started = time.perf_counter()
services.recompute(round_, audit=False)
print("recompute_ms", round((time.perf_counter() - started) * 1000), "scorecards", round_.scorecards.count())
"""


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs)


def main():
    url = os.environ.get("BENCH_EV_DATABASE_URL")
    if url is None:
        shutil.rmtree(VAR, ignore_errors=True)
        VAR.mkdir(parents=True)
        url = f"sqlite:///{VAR / 'db.sqlite3'}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": url, "DEBUG": "0",
           "VAR_DIR": str(VAR), "LOG_LEVEL": "WARNING"}  # fmt: skip
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            run(["psql", admin, "-c", sql], env)
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    started = time.perf_counter()
    seeded = run([PY, "manage.py", "seed_scale", "--scale", SCALE], env).stdout
    print(f"seed_scale --scale {SCALE}: {time.perf_counter() - started:.0f} s")
    first = re.search(r"evaluation_round_ms (\d+)", seeded)
    cards = re.search(r"evaluation_scorecards (\d+)", seeded)
    if not first:
        sys.exit("seed_scale made no round (is evaluation in step_evaluation?): " + seeded[-500:])
    print(
        f"年度考核：{cards.group(1)} 个工作室，开始评分（首次计算并保存全部评分表）{int(first.group(1)) / 1000:.2f} s"
    )
    warm = run([PY, "manage.py", "shell", "-c", TIMING], env).stdout
    ms, n = re.search(r"recompute_ms (\d+) scorecards (\d+)", warm).groups()
    print(f"年度考核：{n} 个工作室，重新计算（热缓存）{int(ms) / 1000:.2f} s（目标 ≤ 10 s）")


if __name__ == "__main__":
    main()
