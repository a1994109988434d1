"""Cursor pagination by keyset: the next page starts after the last row's sort values.

DRF's own ``CursorPagination`` keys on the first ordering field and counts an offset through
ties (cut off at 1,000), which breaks on a queue sorted by priority, where thousands of claims
share a value. This one reads the queryset's whole ordering (which ends with the primary key,
so it is total) and filters ``(a, b, pk) after (va, vb, vpk)`` field by field, whatever the
sort: the queue's sorts, relevance (an annotation) and last activity (an expression).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, FloatField, Func, OrderBy, Q, QuerySet, Value
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool
    nulls_last: bool


def sort_keys(queryset: QuerySet) -> list[SortKey]:
    """The queryset's ordering as plain fields (strings, or ``F(...)`` ordered expressions)."""
    keys = []
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(item, str):
            name = item.lstrip("-")
            keys.append(SortKey("pk" if name == "id" else name, item.startswith("-"), False))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            keys.append(SortKey(item.expression.name, item.descending, bool(item.nulls_last)))
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"Cannot page by {item!r}: order by fields or F() expressions.")
    if not keys or keys[-1].field != "pk":
        keys.append(SortKey("pk", keys[-1].descending if keys else False, False))
    return keys


def _literal(value):
    """A cursor value as SQL compares it. A float is a search rank, which PostgreSQL computes
    as ``real``: the value read back rounds to fewer digits than a double, so it is compared
    as a ``real`` too, or the row it came from would compare as "after" itself."""
    if isinstance(value, float):
        return Func(Value(value), template="(%(expressions)s)::real", output_field=FloatField())
    return value


def _after(keys: list[SortKey], values: list) -> Q:
    """Rows strictly after ``values`` in the order ``keys`` (a lexicographic comparison)."""
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        if value is None:
            beyond = Q(pk__in=[])  # nulls sort last: nothing comes after a null but more nulls
            equal = Q(**{f"{key.field}__isnull": True})
        else:
            literal = _literal(value)
            beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": literal})
            if key.nulls_last:
                beyond |= Q(**{f"{key.field}__isnull": True})
            equal = Q(**{key.field: literal})
        condition |= equal_so_far & beyond
        equal_so_far &= equal
    return condition


def _encode(keys: list[SortKey], row) -> str:
    values = []
    for key in keys:
        value = getattr(row, key.field)
        values.append({"t": value.isoformat()} if isinstance(value, datetime) else value)
    payload = {"k": [("-" if k.descending else "") + k.field for k in keys], "v": values}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def _decode(keys: list[SortKey], cursor: str) -> list:
    problem = ValidationError({"cursor": "This cursor is not one this list gave out."})
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        names, values = payload["k"], payload["v"]
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise problem from None
    if names != [("-" if k.descending else "") + k.field for k in keys] or len(values) != len(keys):
        raise ValidationError({"cursor": "This cursor belongs to another sort order or filter."})
    decoded = []
    for value in values:
        if isinstance(value, dict):
            moment = parse_datetime(str(value.get("t", "")))
            if moment is None:
                raise problem
            value = moment
        elif value is not None and not isinstance(value, int | float | str):
            raise problem
        decoded.append(value)
    return decoded


class KeysetPagination(BasePagination):
    """``?cursor=`` (opaque, from ``next``) and ``?page_size=`` (1-200, default 50)."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError(
                {self.page_size_query_param: f"A whole number from 1 to {MAX_PAGE_SIZE}."}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        keys = sort_keys(queryset)
        size = self.page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            queryset = queryset.filter(_after(keys, _decode(keys, cursor)))
        rows = list(queryset[: size + 1])
        self.next_cursor = _encode(keys, rows[size - 1]) if len(rows) > size else None
        self.request = request
        return rows[:size]

    def get_paginated_response(self, data):
        next_url = None
        if self.next_cursor is not None:
            next_url = replace_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor
            )
        return Response({"next": next_url, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string", "nullable": True, "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param, "required": False, "in": "query",
                "description": "The cursor from the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param, "required": False, "in": "query",
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
