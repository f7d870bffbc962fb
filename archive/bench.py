"""Benchmarks of the archive package for bench/measure.py (make bench), against the benchmark database.

package_time(): a studio-year of 1,000 ledger records and 200 files (100 KB each) is seeded inside a transaction
  that is rolled back afterwards (files in a temporary MEDIA_ROOT), and the package — zip, SHA-256 of every file,
  SHA256SUMS, the xlsx and PDF index — is built 3 times. Target: ≤ 5 s.
peak_memory(): a subprocess (`python bench/measure.py archive_memory`) seeds 50 files of 10 MB (500 MB) the same
  way, builds the package and reports its own peak resident memory (resource.getrusage, ru_maxrss) before and after.
  Target: under 150 MB — the builder streams each file in 1 MiB chunks.
"""

import datetime as dt
import json
import os
import resource
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


def peak_memory():
    """Run in its own process (bench/measure.py archive_memory): build a 500 MB package, report peak RSS in MB."""
    media = tempfile.mkdtemp(prefix="bench-archive-mem-")
    try:
        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            _no_idle_timeout()
            studio, user = _seed(100, 50, 10 * 2**20)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.perf_counter()
            size = _build(studio, user, index_pdf=False)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            transaction.set_rollback(True)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return {"package_mb": round(size / 2**20), "peak_rss_mb": round(peak, 1), "rss_before_mb": round(before, 1),
            "seconds": round(seconds, 1)}  # fmt: skip


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
        f"档案包 {memory['package_mb']} MB（进程峰值内存 {memory['peak_rss_mb']} MB，构建前 {memory['rss_before_mb']} MB）": {
            "median_ms": memory["seconds"] * 1000,
            "p95_ms": memory["seconds"] * 1000,
            "peak_rss_mb": memory["peak_rss_mb"],
            "rss_before_mb": memory["rss_before_mb"],
        },
    }
