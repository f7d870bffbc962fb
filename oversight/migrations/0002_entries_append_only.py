"""A supervision note's entries are append-only: the database refuses an UPDATE of a row (a correction is a new
entry). DELETE is not possible through the application (no service, read-only admin, PROTECT foreign keys)."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS oversight_noteentry_no_update BEFORE UPDATE ON oversight_noteentry
       BEGIN SELECT RAISE(ABORT, 'supervision note entries are append-only: UPDATE refused'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS oversight_noteentry_no_update;"]
PG_CREATE = [
    """CREATE OR REPLACE FUNCTION oversight_noteentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'supervision note entries are append-only: % refused', TG_OP; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER oversight_noteentry_no_update BEFORE UPDATE ON oversight_noteentry
       FOR EACH ROW EXECUTE FUNCTION oversight_noteentry_refuse();""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS oversight_noteentry_no_update ON oversight_noteentry;",
    "DROP FUNCTION IF EXISTS oversight_noteentry_refuse();",
]


def create(apps, schema_editor):
    for sql in {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    for sql in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
