"""Registry of archive sources: how apps file their records and files into the studio archive (档案) without the
archive importing them.

The archive (R15) is mostly *computed*: the items of a studio-year are gathered on demand from the records that
already hold them (ledger attachments, plan documents, expenditure vouchers, ...) plus the documents uploaded
directly into the archive. Nothing is entered twice. An app that owns files adds a source from its
AppConfig.ready():

    from archive.sources import ArchiveEntry, register_source

    def vouchers(studio_id, year):
        for e in Expenditure.objects.filter(studio_id=studio_id, date__year=year).exclude(voucher=""):
            yield ArchiveEntry(
                title=e.description[:80] or "经费支出凭证",
                date=e.date,
                category="other",            # a key of archive.categories.Category (or "other")
                file=e.voucher,              # a FieldFile, or a storage name (str) in default_storage, or None
                description=f"{e.amount} 元 · {e.payee}",
                url=f"/funds/expenditures/{e.pk}/",   # the page of the original record (permission-checked there)
                key=f"voucher-{e.pk}",        # stable id inside the source, used in package names and addenda
            )

    register_source("funds.voucher", "other", vouchers, label="经费支出凭证")

    register_source(key, category, items, label="")
        key       unique dotted name of the source ("ledger.attachment"); registering the same key again replaces it
                  (AppConfig.ready() may run twice in tests).
        category  the default category of the source's entries (an entry may name its own).
        items     items(studio_id, year, q=None) -> iterable of ArchiveEntry. Must run a bounded number of queries
                  (select_related/prefetch), whatever the number of rows: the archive lists, the checklist and the
                  package builder call it for a whole studio-year. Entries may omit `file` (a record without a file
                  still counts for its category, e.g. a meeting with typed minutes).
                  `q` (the archive search): yield only the entries whose f"{title} {description}" contains q, ignoring
                  case — decided in SQL with search_filter() over expressions that build the same title and
                  description as the entry, so a search reads only its hits. A source whose items() takes no `q`
                  still works: entries() then filters its entries in Python (matches()).
        label     Chinese name of the source, shown in the archive filters.

    ArchiveEntry(title, date, category, file=None, description="", url="", key="", size=None, render=None)
        render    instead of a stored file, a generated document: render() -> (bytes, file name), called only when
                  the package is built (e.g. the approved plan as PDF).

    entries(studio_id, year, category=None, q=None)  every registered source's entries (category filters after the
                                             fact; q searches titles and descriptions, in SQL — see above)
    search_filter(queryset, q, title, description)  a source's SQL search: keeps the rows whose
                                             Concat(title, " ", description) contains q (icontains)
    sources()                                the registered sources, in registration order

Search semantics — the same on SQLite and PostgreSQL, and the same as the Python test it replaced,
`q.lower() in f"{title} {description}".lower()`: a substring of the title, of the description or of the two joined
by one space; case is ignored for Latin letters (SQLite's LIKE folds ASCII letters only; Chinese has no case);
%, _ and \\ are plain characters. Chinese needs no word splitting: a search for 数控 finds 数控车工.

Categories are the policy's list (archive.categories.Category). The sources may not write anything; the archive
never changes another app's rows. Freezing a studio-year is separate (studios.freeze).
"""

import inspect
from dataclasses import dataclass, field
from datetime import date as Date

from django.db.models import TextField, Value
from django.db.models.functions import Concat

from .categories import label


@dataclass(frozen=True)
class ArchiveEntry:
    title: str
    date: Date
    category: str
    file: object = None  # FieldFile, storage name (str) or None
    description: str = ""
    url: str = ""
    key: str = ""
    source: str = field(default="", compare=False)
    size: int | None = None
    # A generated document instead of a stored file: render() -> (bytes, file name). Called only by the package
    # builder (archive/package.py), never by the lists.
    render: object = field(default=None, compare=False)

    @property
    def category_label(self):
        return label(self.category)

    @property
    def storage_name(self):
        """The file's name in default_storage ("" when the entry has no file)."""
        f = self.file
        if not f:
            return ""
        return f if isinstance(f, str) else (f.name or "")


@dataclass(frozen=True)
class Source:
    key: str
    category: str
    items: object
    label: str = ""
    searchable: bool = False  # items() takes q and searches in SQL


_SOURCES: dict[str, Source] = {}


def register_source(key, category, items, label=""):
    """Add (or replace) the source `key`; `items(studio_id, year, q=None)` yields ArchiveEntry. Returns `items`."""
    searchable = "q" in inspect.signature(items).parameters
    _SOURCES[key] = Source(key=key, category=category, items=items, label=label or key, searchable=searchable)
    return items


def matches(q, title, description):
    """The search test in Python, for a source that cannot search in SQL: what search_filter() decides in SQL."""
    return q.lower() in f"{title} {description}".lower()


def search_filter(queryset, q, title, description):
    """`queryset` narrowed to the rows whose entry text — the expressions `title` and `description` joined by one
    space, as matches() joins them — contains `q`, ignoring case (icontains: LIKE on SQLite, UPPER(…) LIKE UPPER(…)
    on PostgreSQL, with %, _ and \\ escaped). Without q the queryset is returned unchanged."""
    if not q:
        return queryset
    if "\x00" in q:  # no stored text holds NUL (the forms refuse it), and PostgreSQL refuses it in a parameter
        return queryset.none()
    text = Concat(title, Value(" "), description, output_field=TextField())
    return queryset.alias(archive_search_text=text).filter(archive_search_text__icontains=q)


def sources():
    return list(_SOURCES.values())


def entries(studio_id, year, category=None, only=None, q=None):
    """Every source's entries for the studio-year, each tagged with its source key; `only` limits to some source keys;
    `q` keeps the entries whose title or description contains it (searched by each source in SQL)."""
    for source in list(_SOURCES.values()):
        if only is not None and source.key not in only:
            continue
        items = source.items(studio_id, year, q=q) if q and source.searchable else source.items(studio_id, year)
        for entry in items or ():
            cat = entry.category or source.category
            if category and cat != category:
                continue
            if q and not source.searchable and not matches(q, entry.title, entry.description):
                continue
            yield ArchiveEntry(
                title=entry.title,
                date=entry.date,
                category=cat,
                file=entry.file,
                description=entry.description,
                url=entry.url,
                key=entry.key,
                source=source.key,
                size=entry.size,
                render=entry.render,
            )
