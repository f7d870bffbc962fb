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
        items     items(studio_id, year) -> iterable of ArchiveEntry. Must run a bounded number of queries
                  (select_related/prefetch), whatever the number of rows: the archive lists, the checklist and the
                  package builder call it for a whole studio-year. Entries may omit `file` (a record without a file
                  still counts for its category, e.g. a meeting with typed minutes).
        label     Chinese name of the source, shown in the archive filters.

    ArchiveEntry(title, date, category, file=None, description="", url="", key="", size=None, render=None)
        render    instead of a stored file, a generated document: render() -> (bytes, file name), called only when
                  the package is built (e.g. the approved plan as PDF).

    entries(studio_id, year, category=None)  every registered source's entries (category filters after the fact)
    sources()                                the registered sources, in registration order

Categories are the policy's list (archive.categories.Category). The sources may not write anything; the archive
never changes another app's rows. Freezing a studio-year is separate (studios.freeze).
"""

from dataclasses import dataclass, field
from datetime import date as Date

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


_SOURCES: dict[str, Source] = {}


def register_source(key, category, items, label=""):
    """Add (or replace) the source `key`; `items(studio_id, year)` yields ArchiveEntry. Returns `items`."""
    _SOURCES[key] = Source(key=key, category=category, items=items, label=label or key)
    return items


def sources():
    return list(_SOURCES.values())


def entries(studio_id, year, category=None, only=None):
    """Every source's entries for the studio-year, each tagged with its source key; `only` limits to some source keys."""
    for source in list(_SOURCES.values()):
        if only is not None and source.key not in only:
            continue
        for entry in source.items(studio_id, year) or ():
            cat = entry.category or source.category
            if category and cat != category:
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
