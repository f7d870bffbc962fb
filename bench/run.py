"""make bench: seed city-wide data into throw-away databases and measure; writes bench/RESULTS.md.

For SQLite and (when reachable) PostgreSQL, at three sizes (scale 0.002 ≈ 10 applications, 0.2 ≈ 1,000, 1.0 ≈ 5,000
applications and 20,000 staff):
  (a) in-process, test client, 40 runs: bare SQL of the list page vs our list page vs the admin changelist
  (b) SQL queries per request at ~10 and ~1,000 rows   (c) p95 of key pages small vs full
  (d) HTTP: one gunicorn worker pinned to CPU 0, wrk pinned to CPU 1, requests/s and p50/p99
  (e) 申报表 PDF/docx and a 10k-row xlsx.
The databases live in var/bench/ (SQLite) or are named ms_bench_* (PostgreSQL) and are dropped and re-created per run.
"""

import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import evaluate, write_results  # noqa: E402 - bench/report.py

PY = sys.executable
VAR = ROOT / "var" / "bench"
SCALES = {"small": 0.002, "mid": 0.2, "full": 1.0}
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
HTTP_PAGES = [
    ("healthz（参照：最简页面）", "/healthz/", False),
    ("登录页（匿名）", "/accounts/login/", False),
    ("我的工作台", "/", True),
    ("申报列表", "/applications/", True),
    ("工作室列表", "/studios/", True),
    ("用户列表", "/accounts/users/", True),
    ("全校目标完成", "/plans/actual/", True),
]
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "8"))
# What the profiles of the missed targets showed when QA read them (2026-11-24); the figures above are regenerated on
# every run, these notes only when someone re-reads the profiles. Owners: accounts (用户列表), people (教职工档案),
# applications (申报列表, 我的工作台 inbox), studios (工作室列表).
NOTES = [
    "- **列表页的 COUNT**：第一次测量（2026-11-24 09:53）时每个列表每请求都对整张可见表做精确 `SELECT COUNT(*)`"
    "（Django Paginator），随行数线性增长，使申报列表、用户列表、教职工档案、工作室列表的 full/small p95 比值达"
    " 1.5–3.7×。已改为 `core.pagination.CappedPaginator`：在不带 ORDER BY 的 LIMIT 子查询内只计数到所请求页需要的行数"
    "（至少 1,000 行），超出时显示「共 N+ 页」。",
    "- **系部筛选下拉框**：规模数据按 100 所学校生成 500 个系部（真实的一所学校约 10 个）。四个列表原来在模板里逐项比较"
    "生成选项，是全量时模板渲染的主要成本；已改为模板标签 `department_options` 在 Python 中一次生成。",
    "- 上表为以上修改之后的测量；仍未达标的比值，其剖析见上文（每请求耗时最多的函数与 SQL）。",
    "- **工作室列表** 按 `-approved_on` 排序：已加索引 `studio_list_order (-approved_on, id)`，不再每页排序全部工作室。",
    "- **我的工作台 SQL 数**：第一次测量为 15 条（各 app 的待办逐项 COUNT）。已把申报相关的计数合并为一条带 FILTER 的聚合，"
    "专家与委员的待办各一条，测试 `applications/tests/test_views.py::test_workbench_query_count_does_not_grow`"
    "在 1 行与 30 行时都检查 ≤ 10 条。",
    "- **SQL 数**：会话续期（30 分钟滑动空闲超时）每分钟至多写 1 次（`SESSION_REFRESH_SECONDS`），写时带来 1 条 UPDATE 与一对"
    " BEGIN/COMMIT；这是安全要求的固定成本，已计入（事务控制语句单列）。",
    "- **HTTP 数字** 为 1 个同步 worker 的吞吐。本机 2 核，p99 抖动较大；比值比绝对值可靠。",
]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def env_for(database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
    }


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs)


def pg_available():
    return shutil.which("pg_isready") and subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0


def fresh_database(vendor, size):
    if vendor == "sqlite":
        path = VAR / f"bench_{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"ms_bench_{size}"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"{PG}/{name}"


def prepare(vendor, size):
    url = fresh_database(vendor, size)
    env = env_for(url)
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    started = time.perf_counter()
    out = run([PY, "manage.py", "seed_scale", "--scale", str(SCALES[size])], env).stdout.strip()
    seconds = time.perf_counter() - started
    if vendor == "postgresql":
        run([PY, "manage.py", "dbshell"], env, input="ANALYZE;\n")
    log(f"{vendor}/{size}: {out}")
    return url, env, round(seconds, 1)


def measure(env, mode):
    return json.loads(run([PY, "bench/measure.py", mode], env).stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_load(env):
    """One gunicorn worker on CPU 0, wrk on CPU 1."""
    if not shutil.which("wrk"):
        return {"error": "wrk 未安装（make bench 会用 apt 安装）"}
    session = measure(env, "session")["sessionid"]
    port = free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    server = subprocess.Popen(
        ["taskset", "-c", "0", PY, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        for label, path, signed_in in HTTP_PAGES:
            args = ["taskset", "-c", "1", "wrk", "-t1", "-c4", f"-d{WRK_SECONDS}s", "--latency"]
            if signed_in:
                args += ["-H", f"Cookie: sessionid={session}"]
            out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
            results[label] = parse_wrk(out)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _ms(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)\b", text)
    if not match:
        return None
    value, unit = match.groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def parse_wrk(out):
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    # the "Latency Distribution" lines; "73.50%" in the Thread Stats table must not match
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if not rps:
        return {"error": out.strip()[-300:]}
    return {
        "rps": float(rps.group(1)),
        "p50_ms": _ms(p50.group(1)),
        "p99_ms": _ms(p99.group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    mem = next((ln.split()[1] for ln in meminfo if ln.startswith("MemTotal")), "0")
    pg = (
        subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
        if shutil.which("psql")
        else "—"
    )
    import sqlite3

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 1048576, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
    }


def main():
    VAR.mkdir(parents=True, exist_ok=True)
    vendors = ["sqlite"] + (["postgresql"] if pg_available() else [])
    data = {"machine": machine(), "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "vendors": {}}
    for vendor in vendors:
        result = data["vendors"][vendor] = {}
        for size in SCALES:
            url, env, seed_seconds = prepare(vendor, size)
            log(f"{vendor}/{size}: 测量页面")
            result[size] = {"seed_seconds": seed_seconds, **measure(env, "pages")}
            if size == "full":
                log(f"{vendor}/{size}: 文档生成")
                result["docs"] = measure(env, "docs")
                log(f"{vendor}/{size}: HTTP 压测")
                result["http"] = http_load(env)
                missed = {page for _t, v, _d, ok, page in evaluate({"vendors": {vendor: result}}) if not ok and page}
                urls = sorted({result["full"]["urls"][p] for p in missed if p in result["full"]["urls"]})
                if urls:
                    log(f"{vendor}/{size}: 剖析未达标页面 {urls}")
                    result["profiles"] = json.loads(
                        run([PY, "bench/measure.py", "profile", *urls], env).stdout.strip().splitlines()[-1]
                    )
    (VAR / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    data["wrk_seconds"] = WRK_SECONDS
    data["notes"] = NOTES
    write_results(data, ROOT / "bench" / "RESULTS.md")
    log("已写入 bench/RESULTS.md")


if __name__ == "__main__":
    main()
