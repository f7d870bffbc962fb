"""Consistent snapshots of the database and uploaded files (manage.py backup / restore).

SQLite: sqlite3's online backup API copies a consistent image even while the app writes (WAL mode).
PostgreSQL: pg_dump (custom format) inside an exported REPEATABLE READ snapshot, so the row counts recorded in the
manifest and the dump see exactly the same data; restore uses pg_restore into an empty database. A pg_dump keeps the
schema, the audit triggers and the exact column values (Django's JSON serialisers would round timestamps and break the
audit hash chain), which is why this is not a dumpdata/loaddata pair.
Uploaded files are copied next to the database image; manifest.json lists every file with its SHA-256.
The manifest is signed with AUDIT_HMAC_KEY (a key kept outside the database and its backups): someone who rewrites
rows in the image and the checksums in the manifest together cannot re-sign it, and restore refuses it.
"""

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from core.audit import sign

MANIFEST = "manifest.json"
FORMAT_VERSION = 2  # 2: signed (manifest["signature"])


class SnapshotError(Exception):
    """A refused backup/restore, with a Chinese message."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root):
    root = Path(root)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sqlite_counts(con):
    tables = [
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    # table names come from sqlite_master, not from input
    return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608


def _pg_params():
    s = connection.settings_dict
    return {
        "dbname": s["NAME"],
        "host": s.get("HOST") or "127.0.0.1",
        "port": str(s.get("PORT") or 5432),
        "user": s.get("USER") or "postgres",
        "password": s.get("PASSWORD") or "",
    }


def _pg_env(params):
    env = dict(os.environ)
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return env


def _pg_cli_args(params):
    return ["-h", params["host"], "-p", params["port"], "-U", params["user"], "-d", params["dbname"]]


def _pg_counts(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [r[0] for r in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
        counts[table] = cursor.fetchone()[0]
    return counts


def _backup_database(target_dir):
    vendor = connection.vendor
    if vendor == "sqlite":
        source_path = connection.settings_dict["NAME"]
        image = target_dir / "db.sqlite3"
        src = sqlite3.connect(source_path, timeout=30)
        dst = sqlite3.connect(image)
        try:
            src.backup(dst)
            counts = _sqlite_counts(dst)
        finally:
            dst.close()
            src.close()
        return image, counts
    if vendor == "postgresql":
        import psycopg

        params = _pg_params()
        image = target_dir / "db.pgdump"
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=False) as con:
            with con.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                counts = _pg_counts(cursor)
                subprocess.run(
                    ["pg_dump", "-Fc", "--no-owner", "--no-acl", f"--snapshot={snapshot_id}", "-f", str(image)]
                    + _pg_cli_args(params),
                    check=True,
                    env=_pg_env(params),
                    capture_output=True,
                )
            con.rollback()
        return image, counts
    raise SnapshotError(f"不支持的数据库类型：{vendor}")


def backup(target_dir):
    """Write database image + media copy + manifest.json into target_dir (which must be empty or absent)."""
    target_dir = Path(target_dir)
    if target_dir.exists() and any(target_dir.iterdir()):
        raise SnapshotError(f"备份目录 {target_dir} 不为空，请指定新目录。")
    target_dir.mkdir(parents=True, exist_ok=True)
    image, counts = _backup_database(target_dir)
    media_root = Path(settings.MEDIA_ROOT)
    files = []
    for path in _files_under(media_root):
        relative = path.relative_to(media_root).as_posix()
        destination = target_dir / "media" / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        files.append({"path": relative, "size": destination.stat().st_size, "sha256": sha256_of(destination)})
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database": {"file": image.name, "sha256": sha256_of(image), "size": image.stat().st_size, "rows": counts},
        "files": files,
    }
    manifest["signature"] = _manifest_signature(manifest)
    (target_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _manifest_signature(manifest):
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return sign("ops.backup.manifest:" + json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def read_manifest(source_dir):
    """Load manifest.json and check every SHA-256 in it; raise SnapshotError naming the first mismatch."""
    source_dir = Path(source_dir)
    path = source_dir / MANIFEST
    if not path.exists():
        raise SnapshotError(f"{source_dir} 中没有 {MANIFEST}，不是有效的备份。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        signature = manifest.get("signature")
    except (ValueError, AttributeError):
        raise SnapshotError(f"{MANIFEST} 无法解析，不是有效的备份。") from None
    if not isinstance(signature, str) or not hmac.compare_digest(_manifest_signature(manifest), signature):
        raise SnapshotError(
            f"{MANIFEST} 的签名无效：清单不是用本系统的 AUDIT_HMAC_KEY 生成的，或在备份后被改动。拒绝恢复。"
        )
    database = manifest["database"]
    if sha256_of(source_dir / database["file"]) != database["sha256"]:
        raise SnapshotError(f"数据库备份文件 {database['file']} 的 SHA-256 与清单不符，备份已损坏。")
    for entry in manifest["files"]:
        file_path = source_dir / "media" / entry["path"]
        if ".." in Path(entry["path"]).parts or not file_path.is_file() or sha256_of(file_path) != entry["sha256"]:
            raise SnapshotError(f"上传文件 {entry['path']} 缺失或 SHA-256 与清单不符，备份已损坏。")
    return manifest


def _database_is_empty():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def _restore_sqlite(image):
    target = connection.settings_dict["NAME"]
    connections.close_all()
    src = sqlite3.connect(image)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # replaces the whole target database, schema, triggers and rows
    finally:
        dst.close()
        src.close()


def _restore_postgresql(image):
    params = _pg_params()
    connections.close_all()
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--no-acl", "--clean", "--if-exists", "--single-transaction", "--exit-on-error"]
        + _pg_cli_args(params)
        + [str(image)],
        env=_pg_env(params),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SnapshotError(f"pg_restore 失败：{result.stderr.strip()[:500]}")


def restore(source_dir, *, force=False):
    """Bring a snapshot back into an empty database and MEDIA_ROOT. Returns the manifest."""
    source_dir = Path(source_dir)
    manifest = read_manifest(source_dir)
    if manifest["vendor"] != connection.vendor:
        raise SnapshotError(f"该备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}。")
    if not force and not _database_is_empty():
        raise SnapshotError("目标数据库不是空的：恢复会覆盖现有数据。确认无误请加 --force。")
    media_root = Path(settings.MEDIA_ROOT)
    if not force and _files_under(media_root):
        raise SnapshotError(f"目标上传目录 {media_root} 不是空的。确认无误请加 --force。")
    image = source_dir / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        _restore_sqlite(image)
    else:
        _restore_postgresql(image)
    for entry in manifest["files"]:
        destination = media_root / entry["path"]
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source_dir / "media" / entry["path"], destination)
    # Check what came back against the manifest.
    with connection.cursor() as cursor:
        counts = _sqlite_counts(cursor.connection) if connection.vendor == "sqlite" else _pg_counts(cursor)
    if counts != manifest["database"]["rows"]:
        diff = {
            t: (manifest["database"]["rows"].get(t), counts.get(t))
            for t in set(counts) | set(manifest["database"]["rows"])
            if counts.get(t) != manifest["database"]["rows"].get(t)
        }
        raise SnapshotError(f"恢复后的行数与清单不符：{diff}")
    return manifest
