"""Date expressions that both databases evaluate natively.

Django's ExtractYear, TruncDate and `F(...) ± timedelta` compile on SQLite to Python functions registered on the
connection (django_date_extract, django_datetime_cast_date, django_format_dtdelta): correct, but one Python call per
row. Over a million ledger rows that is tens of seconds (the anomaly flags, bench/RESULTS.md 2026-11-29). These
compile to SQLite's own date functions and to plain PostgreSQL.

- Year(date_or_datetime)            the calendar year as an integer (of the stored value: a date field, or UTC)
- ShiftDays(datetime_or_date, n)   the value n days later (n may be negative; an int, part of the SQL text)
- LocalDate(datetime)              the date in settings.TIME_ZONE. SQLite applies the zone's current UTC offset: exact
                                   for zones without daylight saving time (Asia/Shanghai, the platform's zone).
"""

from django.conf import settings
from django.db.models import DateField, DateTimeField, Func, IntegerField
from django.utils import timezone


class Year(Func):
    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps dates and datetimes as ISO text; no "%" in the SQL (debug SQL formatting would trip on it)
        return self.as_sql(compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS INTEGER)")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)")


class ShiftDays(Func):
    arity = 1

    def __init__(self, expression, days, **extra):
        if not isinstance(days, int) or isinstance(days, bool):
            raise TypeError("ShiftDays: days must be an int")
        self.days = days
        super().__init__(expression, **extra)

    def _resolve_output_field(self):
        source = self.get_source_fields()[0]
        return DateField() if isinstance(source, DateField) and not isinstance(source, DateTimeField) else source

    def as_sqlite(self, compiler, connection, **extra_context):
        function = "date" if type(self.output_field) is DateField else "datetime"
        # Cut to whole seconds first (SQLite rounds fractions to milliseconds, so 23:59:59.9999996 would become the
        # next second): a shifted bound is up to a second early, never late.
        return self.as_sql(
            compiler, connection, template=f"{function}(substr(%(expressions)s, 1, 19), '{self.days:+d} days')"
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        cast = "::date" if type(self.output_field) is DateField else ""
        return self.as_sql(compiler, connection, template=f"(%(expressions)s + INTERVAL '{self.days:d} days'){cast}")


class LocalDate(Func):
    output_field = DateField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = timezone.now().astimezone(timezone.get_default_timezone()).utcoffset()
        minutes = int(offset.total_seconds() // 60)
        # whole seconds first: SQLite would round 15:59:59.9999996 UTC up to the next local day
        return self.as_sql(
            compiler, connection, template=f"date(substr(%(expressions)s, 1, 19), '{minutes:+d} minutes')"
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        zone = str(settings.TIME_ZONE).replace("'", "")
        return self.as_sql(compiler, connection, template=f"CAST((%(expressions)s AT TIME ZONE '{zone}') AS date)")
