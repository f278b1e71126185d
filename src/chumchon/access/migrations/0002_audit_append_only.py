"""Make the audit log append-only in the database itself: UPDATE and DELETE are refused
by triggers, whoever connects (the app, the admin, a shell)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS access_auditevent_no_update",
    "DROP TRIGGER IF EXISTS access_auditevent_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION access_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER access_auditevent_no_change BEFORE UPDATE OR DELETE ON access_auditevent
       FOR EACH ROW EXECUTE FUNCTION access_auditevent_refuse()""",
    """CREATE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON access_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS access_auditevent_no_change ON access_auditevent",
    "DROP TRIGGER IF EXISTS access_auditevent_no_truncate ON access_auditevent",
    "DROP FUNCTION IF EXISTS access_auditevent_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
