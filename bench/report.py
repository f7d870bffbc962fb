"""Turns bench/run.py's measurements into bench/RESULTS.md: figures, machine, date, and each target met or missed."""

TARGET_QUERIES = 10
# pages with a target of their own: the studio page shows a dozen panels (the ledger issue sets ≤ 12 for it)
PAGE_QUERY_TARGETS = {"工作室主页（记录最多）": 12}
TARGET_LIST_RATIO = 0.5
TARGET_P95_GROWTH = 1.5
TARGET_PDF_S = 1.0
TARGET_XLSX_S = 3.0
SIZES = ("small", "mid", "full")


def _check(ok):
    return "✅ 达标" if ok else "❌ 未达标"


def evaluate(data):
    """[(target, vendor, detail, ok, page-or-None)] for every target of the issue."""
    rows = []
    for vendor, r in data["vendors"].items():
        sizes = [size for size in SIZES if size in r]  # a partial run (BENCH_SIZES) may lack some
        if not sizes:
            continue
        small, full = r.get("small"), r[sizes[-1]]
        for page, q_last in full["queries"].items():
            counts = [r[size]["queries"].get(page) for size in sizes]
            ok = len(set(counts)) == 1 and q_last <= PAGE_QUERY_TARGETS.get(page, TARGET_QUERIES)
            rows.append(
                (
                    "每请求 SQL 数 ≤ 10（工作室主页 ≤ 12）且与数据量无关",
                    vendor,
                    f"{page}：" + " / ".join(str(c) for c in counts),
                    ok,
                    page,
                )
            )
        if "full" not in r:
            continue
        for key, lst in full["lists"].items():
            ratio = lst["ours"]["median_ms"] / lst["admin"]["median_ms"]
            rows.append(
                (
                    f"列表页 ≤ {TARGET_LIST_RATIO}× admin 列表",
                    vendor,
                    f"{key}：{ratio:.2f}×",
                    ratio <= TARGET_LIST_RATIO,
                    key,
                )
            )
        for page, p in full["pages"].items() if small else ():
            growth = p["p95_ms"] / max(small["pages"][page]["p95_ms"], 0.01)
            rows.append(
                (
                    f"全量 p95 ≤ {TARGET_P95_GROWTH}× 小规模 p95",
                    vendor,
                    f"{page}：{growth:.2f}×",
                    growth <= TARGET_P95_GROWTH,
                    page,
                )
            )
        # The same ratio on this process's CPU time: a shared 2-core machine inflates wall-clock p95s by whatever else
        # runs, but not a request's own CPU. On SQLite that includes the database's work (in-process); on PostgreSQL
        # the server's work is left out, so there it is only a check of the Python side.
        for page, p in full["pages"].items() if small else ():
            if "cpu_p95_ms" not in p or "cpu_p95_ms" not in small["pages"].get(page, {}):
                continue
            growth = p["cpu_p95_ms"] / max(small["pages"][page]["cpu_p95_ms"], 0.01)
            rows.append(
                (
                    f"全量 CPU 时间 p95 ≤ {TARGET_P95_GROWTH}× 小规模（参考：不受同机负载影响）",
                    vendor,
                    f"{page}：{growth:.2f}×",
                    growth <= TARGET_P95_GROWTH,
                    None,
                )
            )
        docs = r.get("docs", {})
        if "申报表 PDF" in docs:
            pdf = docs["申报表 PDF"]["p95_ms"] / 1000
            rows.append(("申报表 PDF ≤ 1 s", vendor, f"{pdf:.2f} s", pdf <= TARGET_PDF_S, None))
        if "1 万行 xlsx（名册）" in docs:
            xlsx = docs["1 万行 xlsx（名册）"]["p95_ms"] / 1000
            rows.append(("1 万行 xlsx ≤ 3 s", vendor, f"{xlsx:.2f} s", xlsx <= TARGET_XLSX_S, None))
        for name, value in docs.items():
            if name.startswith("档案包（"):
                seconds = value["p95_ms"] / 1000
                rows.append(("档案包（1,000 条记录、200 个文件）≤ 5 s", vendor, f"{seconds:.2f} s", seconds <= 5, None))
            elif name.startswith("年度考核整轮评分"):
                seconds = value["p95_ms"] / 1000
                rows.append((f"{name} ≤ 10 s", vendor, f"{seconds:.2f} s", seconds <= 10, None))
            elif name.startswith("推荐申报材料 PDF"):
                seconds = value["p95_ms"] / 1000
                rows.append(("推荐申报材料 PDF ≤ 2 s", vendor, f"{seconds:.2f} s", seconds <= 2, None))
            elif "peak_rss_mb" in value:
                peak = value["peak_rss_mb"]
                rows.append(("500 MB 档案包工作进程峰值内存 < 150 MB", vendor, f"{peak} MB", peak < 150, None))
        http = r.get("http", {})
        base = http.get("工作室列表", {}).get("rps")
        for label in ("成果展示首页（匿名）", "成果展示工作室页（匿名，记录最多）"):
            rps = http.get(label, {}).get("rps")
            if base and rps:
                rows.append(
                    (
                        "成果展示吞吐 ≥ 5× 登录后的工作室列表",
                        vendor,
                        f"{label}：{rps / base:.1f}×",
                        rps >= 5 * base,
                        None,
                    )
                )
    return rows


def write_results(data, path):
    m = data["machine"]
    lines = [
        "# 基准测试结果（make bench 自动生成）",
        "",
        f"- 日期：{data['date']}",
        f"- 机器：{m['cpu']}，{m['cores']} 核，内存 {m['memory_gb']} GB；{m['os']}",
        f"- Python {m['python']}；SQLite {m['sqlite']}；{m['postgresql']}",
        "- 数据：`manage.py seed_scale`，small = 规模 0.0125（25 个工作室、约 60 份申报、250 名教职工：每个列表的第一页都是满的 20"
        " 行，比值比较的是数据量而不是每页行数），mid = 0.2（约 1,000 份申报），"
        "full = 1.0（5,000 份申报、20,000 名教职工、评审/表决/异议/附件元数据、审计链）。",
        "- 页面以教学工作部身份访问（可见全部数据）；列表对比以超级管理员身份访问（两边行数相同）。"
        "DEBUG=0，进程内用 Django 测试客户端，每项 40 次（预热 3 次）。",
        "- SQL 数只计读写数据的语句；BEGIN/COMMIT/SAVEPOINT 等事务控制语句另列（会话按请求续期会产生一组）。",
        "- 注意：本机只有 2 核，且测量时其他工程师可能在同机运行测试，数值有噪声；比值比绝对值可靠。",
        "",
        "## 目标检查",
        "",
        "| 目标 | 数据库 | 结果 | 判定 |",
        "|---|---|---|---|",
    ]
    checks = evaluate(data)
    lines += [f"| {t} | {v} | {d} | {_check(ok)} |" for t, v, d, ok, _ in checks]
    for vendor, r in data["vendors"].items():
        sizes = [size for size in SIZES if size in r]
        if not sizes:
            continue
        last = r[sizes[-1]]
        lines += ["", f"## {vendor}", ""]
        lines += [
            "生成数据耗时：" + "，".join(f"{s} {r[s]['seed_seconds']} s" for s in sizes),
            "",
            "### (a) 列表页：裸 SQL / 我们的列表 / Django admin 列表（全量，毫秒）",
            "",
            "| 列表 | 裸 SQL 中位数 | p95 | 我们的中位数 | p95 | admin 中位数 | p95 | 我们/admin | 我们/裸 SQL |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for key, lst in last["lists"].items():
            s_, o, a = lst["sql"], lst["ours"], lst["admin"]
            lines.append(
                f"| {key} | {s_['median_ms']} | {s_['p95_ms']} | {o['median_ms']} | {o['p95_ms']} | {a['median_ms']} | "
                f"{a['p95_ms']} | {o['median_ms'] / a['median_ms']:.2f}× | {o['median_ms'] / max(s_['median_ms'], 0.01):.0f}× |"
            )
        rounds = "p95_rounds" in last
        lines += [
            "",
            "### (b)(c) 关键页面：每请求 SQL 数与 p95（毫秒）",
            "",
            f"| 页面 | SQL 数 {'/'.join(sizes)}（另含事务控制语句） | "
            + " | ".join(f"p95 {s}" for s in sizes)
            + " | full/small |"
            + (" 各轮 full/small |" if rounds else ""),
            "|---|---|" + "---|" * len(sizes) + "---|" + ("---|" if rounds else ""),
        ]
        for page in last["pages"]:
            q = [r[s]["queries"][page] for s in sizes]
            extra = last.get("statements", {}).get(page, q[-1]) - q[-1]
            p = [r[s]["pages"][page]["p95_ms"] for s in sizes]
            growth = (
                f"{r['full']['pages'][page]['p95_ms'] / max(r['small']['pages'][page]['p95_ms'], 0.01):.2f}×"
                if ("small" in r and "full" in r)
                else "—"
            )
            row = f"| {page} | {' / '.join(map(str, q))}（+{extra}） | " + " | ".join(map(str, p)) + f" | {growth} |"
            if rounds:
                each = (
                    zip(r["full"]["p95_rounds"][page], r["small"]["p95_rounds"][page], strict=True)
                    if "small" in r and "full" in r
                    else ()
                )
                row += " " + "，".join(f"{f / max(s_, 0.01):.2f}" for f, s_ in each) + " |"
            lines.append(row)
        lines.append("")
        lines.append(f"行数（{sizes[-1]}）：" + "，".join(f"{k} {v}" for k, v in last["rows"].items()))
        if "http" in r:
            lines += [
                "",
                "### (d) HTTP：1 个 gunicorn worker（CPU 0）+ wrk（CPU 1，1 线程 4 连接，"
                f"每页 {data.get('wrk_seconds', 8)} 秒），全量数据",
                "",
                "| 页面 | 请求/秒 | p50 ms | p99 ms | 非 2xx |",
                "|---|---|---|---|---|",
            ]
            for page, h in r["http"].items():
                if "error" in h:
                    lines.append(f"| {page} | 错误：{h['error']} | | | |")
                else:
                    lines.append(f"| {page} | {h['rps']} | {h['p50_ms']} | {h['p99_ms']} | {h['non_2xx']} |")
        if "docs" in r:
            lines += ["", "### (e) 文档生成（毫秒）", "", "| 文档 | 中位数 | p95 |", "|---|---|---|"]
            lines += [f"| {k} | {v['median_ms']} | {v['p95_ms']} |" for k, v in r["docs"].items()]
        if r.get("profiles"):
            lines += ["", "### 未达标页面的剖析（cProfile，每请求；项目代码中累计耗时最多的函数，最慢的 SQL）", ""]
            for url, prof in r["profiles"].items():
                lines += [f"**{url}**（每请求 {prof['queries_per_request']} 条 SQL）", "", "```"]
                lines += ["-- 项目代码（累计耗时）--", *prof["functions"]]
                lines += ["-- 热点（自身耗时，含 Django/模板）--", *prof.get("hotspots", [])]
                lines += ["-- 最慢的 SQL --", *prof["slowest_sql"]]
                if prof.get("count_queries"):
                    lines += ["-- COUNT 查询（每请求）--", *prof["count_queries"]]
                if prof.get("repeated_sql"):
                    lines += ["-- 同一请求内重复执行的 SQL --", *prof["repeated_sql"]]
                lines += ["```", ""]
    if data.get("notes"):
        lines += ["", "## 说明", ""] + data["notes"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
