"""One mechanism for every list page: a filter form (django-filter), whitelisted sortable columns, a bounded page size
and 导出 Excel of exactly the filtered rows. See docs/architecture.md "Lists".

A list is a `ListPage` subclass: it names its template, its FilterSet, its columns and its visible rows; the URL conf
mounts it twice, `Page.as_view()` at the list and `Page.as_view(export=True)` at "<list name>_export". The export runs
the same queryset (same visibility, filter and order) without pagination and stops at `export_cap` rows with a Chinese
message instead of a file that silently lacks rows.
"""

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views import View

from reports.xlsx import workbook_bytes

from .pagination import CappedPaginator
from .search import id_param
from .uploads import serve_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZES = (20, 50, 100)


# --- filter building blocks ---------------------------------------------------------------------------------------


class QuickSelect(forms.Select):
    """A <select> rendered in Python. A city-wide instance lists hundreds of 系部; Django's per-option template
    rendering made that the largest cost of a list page (bench/RESULTS.md). Model choices are read with values_list
    (no model instances); `label_field` names the column shown."""

    def __init__(self, attrs=None, choices=(), label_field="name"):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def _options(self):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None:
            field = self.choices.field
            if field.empty_label is not None:
                yield "", field.empty_label
            yield from queryset.values_list("pk", self.label_field)
        else:
            yield from self.choices

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        final = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"']
        parts += [f' {escape(k)}="{escape(v)}"' for k, v in final.items() if v not in (None, False)]
        parts.append(">")
        options = _options_html(tuple(self._options()))
        chosen = f'<option value="{html.escape(selected)}">'
        parts.append(options.replace(chosen, f'<option value="{html.escape(selected)}" selected>'))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


# The <option>s of the selects rendered lately, by their (value, label) rows: a city-wide list of 500 系部 is read on
# every list page, but its HTML is built once while the rows stay the same (comparing them costs far less than
# escaping them again). Bounded; html.escape is what django.utils.html.escape calls, without its lazy-string wrapper.
_OPTIONS_CACHE: dict[tuple, str] = {}


def _options_html(rows):
    cached = _OPTIONS_CACHE.get(rows)
    if cached is None:
        cached = "".join(
            f'<option value="{key if isinstance(key, int) else html.escape(str(key))}">{html.escape(str(label))}</option>'
            for key, label in rows
        )
        if len(_OPTIONS_CACHE) >= 64:
            _OPTIONS_CACHE.clear()
        _OPTIONS_CACHE[rows] = cached
    return cached


class _IdModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice whose value must look like a database id first (no query, no overflow for '²' or 10**30)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if id_param(str(value)) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """ModelChoiceFilter for list forms: id-checked, rendered by QuickSelect."""

    field_class = _IdModelChoiceField

    def __init__(self, *args, label_field="name", **kwargs):
        kwargs.setdefault("widget", QuickSelect(label_field=label_field))
        super().__init__(*args, **kwargs)


class ChoiceFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect())
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """The search box: one text matched (icontains) against several fields, OR-ed. At most 50 characters."""

    def __init__(self, *fields, **kwargs):
        self.search_fields = fields
        kwargs.setdefault("max_length", 50)
        super().__init__(method=self._search, **kwargs)

    def _search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class DayInput(forms.DateInput):
    input_type = "date"


def DayFilter(**kwargs):  # noqa: N802 - reads like the other filter classes
    """A date box (yyyy-mm-dd, the browser's date picker)."""
    return django_filters.DateFilter(widget=DayInput(format="%Y-%m-%d"), **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """Base FilterSet of the list pages: Bootstrap classes and aria-labels on every field (the form has no <label>s
    in the toolbar row), a placeholder on text boxes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            is_select = isinstance(widget, forms.Select)
            widget.attrs.setdefault("class", "form-select" if is_select else "form-control")
            widget.attrs.setdefault("aria-label", str(field.label))
            if not is_select:
                widget.attrs.setdefault("placeholder", str(field.label))
                widget.input_type = "search" if widget.input_type == "text" else widget.input_type


# --- columns, sorting and the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list: `key` (the ?sort= name), Chinese `label`, `order` (ORM fields for ascending order; empty →
    not sortable) and `value` (dotted attribute path or fn(row) for the export; None → not exported, e.g. actions)."""

    key: str
    label: str
    order: tuple = ()
    value: Any = None

    def cell(self, row):
        value = self.value(row) if callable(self.value) else _dotted(row, self.value)
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m-%d")
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        return value if isinstance(value, int | float) else str(value)


def _nullable(model, path):
    """True when any step of an ORM path (e.g. "department__name") may be NULL."""
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.null:
            return True
        model = field.related_model
        if model is None:
            return False
    return False


def _dotted(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
        if callable(obj):
            obj = obj()
    return obj


@dataclass
class SortHeader:
    column: Column
    url: str = ""
    direction: str = ""  # "asc" | "desc" | "" (not the current order)

    @property
    def aria_sort(self):
        return {"asc": "ascending", "desc": "descending"}.get(self.direction, "")


class ListPage(LoginRequiredMixin, View):
    template_name = ""
    filterset_class = ListFilterSet
    columns: tuple = ()
    default_sort = ""  # e.g. "-updated" (a column key, '-' for descending); "" → `fallback_order`
    fallback_order: tuple = ("-pk",)
    default_page_size = PAGE_SIZES[0]
    page_sizes = PAGE_SIZES
    count_cap = 1000
    export = False  # as_view(export=True) at "<list url name>_export"
    export_title = ""
    list_url_name = ""

    @property
    def export_cap(self):
        return getattr(settings, "LIST_EXPORT_MAX_ROWS", 5000)

    # --- to override ---
    def check_access(self, request):
        """Raise PermissionDenied (with a Chinese reason) when the user may not see this list."""

    def get_queryset(self):
        raise NotImplementedError

    def extra_context(self):
        return {}

    # --- the mechanism ---
    def get(self, request, *args, **kwargs):
        self.check_access(request)
        self.notices = []
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        if filterset.is_bound and not filterset.is_valid():
            self.notices.append("以下筛选条件无效，已忽略：" + _errors(filterset.form))
        rows = filterset.qs
        sort = self._sort_key(request.GET.get("sort"))
        rows = rows.order_by(*self._order_for(sort))
        if self.export:
            return self._export(request, rows)
        page_size = self._page_size(request.GET.get("page_size"))
        page = CappedPaginator(rows, page_size, cap=self.count_cap).get_page(request.GET.get("page"))
        self.page = page
        context = {
            "view": self,
            "page": page,
            "filter": filterset,
            "list": {
                "headers": [self._header(c, sort) for c in self.columns],
                "sort": sort,
                "sort_choices": self._sort_choices(),
                "page_size": page_size,
                "page_sizes": self.page_sizes,
                "export_url": self._export_url(request),
                "notices": self.notices,
                "reset_url": request.path,
            },
        }
        context.update(self.extra_context())
        return render(request, self.template_name, context)

    def _columns_by_key(self):
        return {c.key: c for c in self.columns if c.order}

    def _sort_key(self, raw):
        if raw in (None, ""):
            return self.default_sort
        key = raw[1:] if raw.startswith("-") else raw
        if key in self._columns_by_key():
            return raw
        self.notices.append("排序方式无效，已按默认顺序显示。")
        return self.default_sort

    def _order_for(self, sort):
        if not sort:
            return self.fallback_order
        descending = sort.startswith("-")
        column = self._columns_by_key()[sort.lstrip("-")]
        model = self.get_queryset().model
        order = []
        for field in column.order:
            name = field.lstrip("-")
            flip = field.startswith("-") != descending
            # NULLs last either way for a nullable column (a list sorted by 提交时间 starts with the submitted ones);
            # not on a NOT NULL column, where NULLS LAST would keep PostgreSQL from reading an index in order.
            nulls = {"nulls_last": True} if _nullable(model, name) else {}
            order.append(F(name).desc(**nulls) if flip else F(name).asc(**nulls))
        # A unique tie-breaker in the same direction: pages of equal keys neither repeat nor skip rows, and one plain
        # index (column, id) serves the sort both ways (read backwards for descending).
        order.append(F("pk").desc() if descending else F("pk").asc())
        return order

    def _page_size(self, raw):
        if raw in (None, ""):
            return self.default_page_size
        if raw.isascii() and raw.isdigit() and int(raw) in self.page_sizes:
            return int(raw)
        sizes = "、".join(str(s) for s in self.page_sizes)
        self.notices.append(f"每页条数只能是 {sizes}，已按 {self.default_page_size} 条显示。")
        return self.default_page_size

    def _query(self, request, drop=(), **changes):
        params = [(k, v) for k, v in request.GET.items() if k not in drop and k not in changes]
        params += [(k, v) for k, v in changes.items() if v not in (None, "")]
        return urlencode(params)

    def _header(self, column, sort):
        if not column.order:
            return SortHeader(column)
        current = sort.lstrip("-") == column.key
        direction = ("desc" if sort.startswith("-") else "asc") if current else ""
        target = column.key if direction != "asc" else f"-{column.key}"
        return SortHeader(column, "?" + self._query(self.request, drop=("page",), sort=target), direction)

    def _sort_choices(self):
        choices = []
        for column in self.columns:
            if column.order:
                choices += [(column.key, f"{column.label} ↑"), (f"-{column.key}", f"{column.label} ↓")]
        return choices

    def _export_url(self, request):
        if not self.list_url_name:
            return ""
        query = self._query(request, drop=("page", "page_size"))
        return reverse(f"{self.list_url_name}_export") + (f"?{query}" if query else "")

    def export_rows(self, rows):
        """The rows as lists of cell values, in the order of the exported columns."""
        columns = [c for c in self.columns if c.value is not None]
        return [c.label for c in columns], [[c.cell(row) for c in columns] for row in rows]

    def _export(self, request, rows):
        cap = self.export_cap
        fetched = list(rows[: cap + 1])
        if len(fetched) > cap:
            messages.error(request, f"符合条件的记录超过 {cap} 条，无法导出。请您缩小筛选范围后再导出。")
            query = self._query(request)
            return redirect(reverse(self.list_url_name) + (f"?{query}" if query else ""))
        if self.notices:
            # An invalid filter would export other rows than the user asked for: back to the list, which names it.
            query = self._query(request)
            return redirect(reverse(self.list_url_name) + (f"?{query}" if query else ""))
        header, data = self.export_rows(fetched)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        title = f"{self.export_title}（导出于 {timezone.localtime():%Y-%m-%d %H:%M}，共 {len(data)} 条）"
        book = workbook_bytes(title, header, data, sheet_name=self.export_title)
        return serve_bytes(book, f"{self.export_title}-{stamp}.xlsx", XLSX)


def _errors(form):
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}：" if field is not None and field.label else ""
        parts.extend(f"{label}{e}" for e in errors)
    return "；".join(parts)
