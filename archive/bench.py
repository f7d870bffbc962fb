"""Benchmarks of the archive package for bench/measure.py (make bench), against the benchmark database.

package_time(): a studio-year of 1,000 ledger records and 200 files (100 KB each) is seeded inside a transaction
  that is rolled back afterwards (files in a temporary MEDIA_ROOT), and the package — zip, SHA-256 of every file,
  SHA256SUMS, the xlsx and PDF index — is built 3 times. Target: ≤ 5 s.
peak_memory(): a subprocess (`python bench/measure.py archive_memory`) commits 50 files of 10 MB (500 MB), queues
  the package and lets the real background worker (`manage.py db_worker --batch`) build it; the worker's peak
  resident memory is reported beside an idle worker's. Target: under 150 MB — the builder streams each file in
  1 MiB chunks.
"""

import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from accounts.models import User
from ledger.models import Activity, Attachment
from studios.models import Studio

from .models import ArchivePackage
from .package import build_package, package_path
from .tasks import build_package_task

BENCH_YEAR = 2001  # a year no seeded record uses: the bench rows are alone in their studio-year
PACKAGE_TARGET_S = 5
MEMORY_TARGET_MB = 150


def _no_idle_timeout():
    """The bench keeps its seeded rows in one transaction (rolled back at the end); PostgreSQL must not end it while
    the package is being built (idle_in_transaction_session_timeout)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")


def _seed(records, files, file_size):
    studio = Studio.objects.order_by("pk").first()
    user = User.objects.filter(is_active=True).order_by("pk").first()
    block = os.urandom(min(file_size, 2**20))  # files are written block by block: the seeding must not raise the peak
    activities = Activity.objects.bulk_create(
        Activity(
            studio=studio,
            date=dt.date(BENCH_YEAR, 1 + i % 12, 1 + i % 28),
            title=f"基准活动{i}",
            kind="exchange",
            status="confirmed",
            created_by=user,
        )
        for i in range(records)
    )
    rows = []
    for i in range(files):
        name = f"ledger/bench/{i}.pdf"
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            out.write(b"%PDF-1.4\n")
            left = file_size - 9
            while left > 0:
                piece = block[: min(left, len(block))]
                out.write(bytes([i % 256]) + piece[1:])  # each file differs from the others
                left -= len(piece)
        rows.append(
            Attachment(
                activity=activities[i % len(activities)],
                kind="sign_in",
                file=name,
                original_name=f"{i}.pdf",
                size=file_size,
                uploaded_by=user,
            )
        )
    Attachment.objects.bulk_create(rows)
    return studio, user


def _build(studio, user, index_pdf=True):
    package = ArchivePackage.objects.create(studio=studio, year=BENCH_YEAR, requested_by=user)
    package = build_package(package.pk, index_pdf=index_pdf)
    if package.status != "done":
        raise RuntimeError(package.error)
    size = package_path(package).stat().st_size
    package_path(package).unlink()
    return size


def package_time(runs=3):
    media = tempfile.mkdtemp(prefix="bench-archive-")
    samples, size = [], 0
    try:
        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            _no_idle_timeout()
            studio, user = _seed(1000, 200, 100 * 1024)
            for _ in range(runs):
                started = time.perf_counter()
                size = _build(studio, user)
                samples.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(samples[-1] * 1000, 1),
        "package_mb": round(size / 2**20, 1),
    }


def _cleanup(studio):
    """Remove what peak_memory() committed: the bench year's attachments, records and packages."""
    Attachment.objects.filter(activity__studio=studio, activity__date__year=BENCH_YEAR).delete()
    Activity.objects.filter(studio=studio, date__year=BENCH_YEAR).delete()
    ArchivePackage.objects.filter(studio=studio, year=BENCH_YEAR).delete()


def _status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _descendants(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            kids = [int(k) for k in children.read().split()]
    except OSError:
        return []
    return kids + [d for k in kids for d in _descendants(k)]


def _worker(env):
    """Run `manage.py db_worker --batch` (every outstanding task, then exit) to the end. Returns the worker process's
    own peak resident memory (VmHWM, read every 20 ms until it exits) and the largest of its child processes' (the
    PDF renderer, reports/pdf.py's fork server and its forks), in MB."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0.1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    own = children = 0
    deadline = time.monotonic() + 600
    while process.poll() is None and time.monotonic() < deadline:
        own = max(own, _status_kb(process.pid, "VmHWM") or 0)
        for child in _descendants(process.pid):
            children = max(children, _status_kb(child, "VmHWM") or 0)
        time.sleep(0.02)
    if process.poll() is None:
        process.kill()
        raise RuntimeError("后台任务进程 10 分钟内未结束")
    if process.returncode:
        raise RuntimeError(f"后台任务进程退出码 {process.returncode}")
    return own / 1024, children / 1024


def peak_memory():
    """Run in its own process (bench/measure.py archive_memory): the worker's peak resident memory while it builds a
    500 MB package. The 50 files of 10 MB are committed to the (throw-away) bench database and MEDIA_ROOT, the package
    is queued like start_package does, and the real background worker (`manage.py db_worker --batch`, a child
    process) builds it — PDF and xlsx index included — and exits; its peak RSS is its own VmHWM (_worker). An idle
    `db_worker --batch` with nothing queued runs first: its peak is the worker's baseline. Everything is deleted after.
    """
    media = tempfile.mkdtemp(prefix="bench-archive-mem-")
    env = {**os.environ, "MEDIA_ROOT": media}
    studio = None
    try:
        with override_settings(MEDIA_ROOT=media):
            idle, _idle_children = _worker(env)
            with transaction.atomic():
                studio, user = _seed(100, 50, 10 * 2**20)
                package = ArchivePackage.objects.create(studio=studio, year=BENCH_YEAR, requested_by=user)
                transaction.on_commit(lambda: build_package_task.enqueue(package_id=package.pk))
            started = time.perf_counter()
            peak, children = _worker(env)
            seconds = time.perf_counter() - started
            package.refresh_from_db()
            if package.status != "done":
                raise RuntimeError(f"档案包未生成：{package.status} {package.error}")
            size = package_path(package).stat().st_size
    finally:
        if studio is not None:
            _cleanup(studio)
        shutil.rmtree(media, ignore_errors=True)
    return {"package_mb": round(size / 2**20), "peak_rss_mb": round(peak, 1), "rss_before_mb": round(idle, 1),
            "renderer_rss_mb": round(children, 1), "seconds": round(seconds, 1)}  # fmt: skip


def measure():
    """The docs-mode entries of bench/measure.py: package time and the 500 MB package's peak memory."""
    timing = package_time()
    out = (
        subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "bench" / "measure.py"), "archive_memory"],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ.copy(),
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    memory = json.loads(out)
    return {
        f"档案包（1,000 条记录、200 个文件，{timing['package_mb']} MB）": timing,
        f"档案包 {memory['package_mb']} MB（后台任务进程峰值内存 {memory['peak_rss_mb']} MB，空闲时 {memory['rss_before_mb']} MB）": {
            "median_ms": memory["seconds"] * 1000,
            "p95_ms": memory["seconds"] * 1000,
            "peak_rss_mb": memory["peak_rss_mb"],
            "rss_before_mb": memory["rss_before_mb"],
        },
    }
