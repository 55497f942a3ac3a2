"""Pagination: limit/offset for small lists, cursors for lists that change while they are read.

`limit`, `offset` and `cursor` are checked, not guessed: a value that is not a whole number in
range, or a cursor this server did not make, is a 400 naming the parameter (DRF alone would
quietly fall back to its defaults, answer 404 for a bad cursor, or 500 for a cursor whose
position is not a number). A `limit` above the maximum still means the maximum."""

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import (
    BasePagination,
    Cursor,
    CursorPagination,
    LimitOffsetPagination,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

MAX_QUERY_INT = 10**18 - 1
_DIGITS = re.compile(r"[0-9]{1,18}")


def query_int(
    request: Request, name: str, *, default: int, minimum: int, maximum: int | None
) -> int:
    """The query parameter `name` as an int in minimum..MAX_QUERY_INT, capped at `maximum`."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or int(raw) < minimum:
        message = _("Must be a whole number from %(min)s.") % {"min": minimum}
        raise ValidationError({name: [message]})
    value = int(raw)
    return min(value, maximum) if maximum is not None else value


# An OpenAPI parameter object, as drf-spectacular builds it.
Parameter = dict[str, Any]
# A list's model, and its rows: model instances, or dicts of values() (KeysetPagination reads
# either).
M = TypeVar("M", bound=Model)
R = TypeVar("R")


def _documented(parameters: list[Parameter], minimums: dict[str, int]) -> list[Parameter]:
    for parameter in parameters:
        if parameter["name"] in minimums:
            bounds = {"minimum": minimums[parameter["name"]], "maximum": MAX_QUERY_INT}
            parameter["schema"] = {**parameter["schema"], **bounds}
    return parameters


class DefaultPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def get_limit(self, request: Request) -> int:
        return query_int(
            request,
            self.limit_query_param,
            default=self.default_limit,
            minimum=1,
            maximum=self.max_limit,
        )

    def paginate_queryset(
        self, queryset: QuerySet[M, R] | Sequence[R], request: Request, view: APIView | None = None
    ) -> list[R]:
        # DRF answers None only without a limit; get_limit always gives one.
        return super().paginate_queryset(queryset, request, view) or []

    def get_offset(self, request: Request) -> int:
        return query_int(request, self.offset_query_param, default=0, minimum=0, maximum=None)

    def get_schema_operation_parameters(self, view: APIView) -> list[Parameter]:
        parameters = super().get_schema_operation_parameters(view)
        return _documented(parameters, {self.limit_query_param: 1, self.offset_query_param: 0})


def invalid_cursor() -> ValidationError:
    return ValidationError(
        {"cursor": [_("Invalid cursor: use the next or previous link as given.")]}
    )


class NewestFirstCursorPagination(CursorPagination):
    """Stable under inserts: a page never repeats or skips rows when new ones arrive. Ordered by
    one integer column (`id`, or `seq` for feeds), so a cursor's position must be an integer."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        return query_int(
            request,
            self.page_size_query_param,
            default=self.page_size,
            minimum=1,
            maximum=self.max_page_size,
        )

    def decode_cursor(self, request: Request) -> Cursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            text = _unbase64(encoded).decode("ascii")
            tokens = parse_qs(text, keep_blank_values=True, strict_parsing=True) if text else {}
        except ValueError:
            raise invalid_cursor() from None
        if not set(tokens) <= {"o", "r", "p"} or any(len(v) > 1 for v in tokens.values()):
            raise invalid_cursor()
        offset = tokens.get("o", ["0"])[0]
        reverse = tokens.get("r", ["0"])[0]
        position = tokens.get("p", [None])[0]
        if not _DIGITS.fullmatch(offset) or reverse not in ("0", "1"):
            raise invalid_cursor()
        if position is not None and not _DIGITS.fullmatch(position):
            raise invalid_cursor()
        row = int(position) if position is not None else None
        return Cursor(min(int(offset), self.offset_cutoff), reverse == "1", row)

    def get_schema_operation_parameters(self, view: APIView) -> list[Parameter]:
        parameters = super().get_schema_operation_parameters(view)
        return _documented(parameters, {self.page_size_query_param: 1})


class StreamCursorPagination(NewestFirstCursorPagination):
    """A page of a topic's history that also carries the topic's `stream` (set by the view,
    read before the page), so a client can follow live from where the page ends."""

    stream: Mapping[str, object] | None = None  # realtime.selectors.StreamPosition

    def paginate_queryset(
        self, queryset: QuerySet[M, R] | Sequence[R], request: Request, view: APIView | None = None
    ) -> list[R]:
        # DRF answers None only without a page size; get_page_size always gives one.
        return super().paginate_queryset(queryset, request, view) or []

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["stream"] = self.stream
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["stream"] = {
            "type": "object",
            "properties": {"topic": {"type": "string"}, "seq": {"type": "integer"}},
        }
        return result


def _unbase64(encoded: str) -> bytes:
    """Strict base64 (standard alphabet, padded); ValueError for anything else."""
    try:
        return base64.b64decode(encoded.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeError) as exc:
        raise ValueError("not base64") from exc


class KeysetPagination(BasePagination):
    """Pages of a list ordered by `keys`: (name, type) pairs of non-null model fields or
    annotations, "-name" for descending, the last one unique (the id). A cursor holds the key of
    the row its page ends at (or, going back, starts at), and the page is the rows strictly
    beyond it. So rows inserted or deleted meanwhile never make another row repeat or vanish, as
    offsets do; a row whose key changes (a plan moved, a conversation with a new message) shows
    up at its new place. Response: `{next, previous, results}` (links, null at either end)."""

    keys: tuple[tuple[str, type], ...] = (("id", int),)
    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "limit"

    def paginate_queryset(
        self, queryset: QuerySet[M, R] | Sequence[R], request: Request, view: APIView | None = None
    ) -> list[R]:
        self.base_url = request.build_absolute_uri()
        limit = query_int(
            request,
            self.page_size_query_param,
            default=self.page_size,
            minimum=1,
            maximum=self.max_page_size,
        )
        if "offset" in request.query_params:
            raise ValidationError({"offset": [_("This list is cursor-paginated: follow `next`.")]})
        if not isinstance(queryset, QuerySet):  # DRF's signature allows lists; keys need SQL
            raise TypeError("KeysetPagination pages a QuerySet")
        cursor = self._decode(request.query_params.get(self.cursor_query_param))
        backwards = cursor is not None and cursor[1]
        names = [name for name, _ in self.keys]
        if backwards:
            names = [name[1:] if name.startswith("-") else "-" + name for name in names]
        queryset = queryset.order_by(*names)
        if cursor is not None:
            queryset = queryset.filter(self._beyond(cursor[0], backwards))
        rows = list(queryset[: limit + 1])
        more = len(rows) > limit
        page = rows[:limit]
        if backwards:
            page.reverse()
        self.next_link: str | None = None
        self.previous_link: str | None = None
        if not page:  # nothing beyond the cursor; going back, the list starts over
            self.next_link = self._first_page() if backwards else None
            return page
        first, last = self._key(page[0]), self._key(page[-1])
        if backwards:
            self.next_link = self._link(last, False)
            self.previous_link = self._link(first, True) if more else None
        else:
            self.next_link = self._link(last, False) if more else None
            self.previous_link = self._link(first, True) if cursor is not None else None
        return page

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[Parameter]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The pagination cursor: take it from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Page size (default {self.page_size}, at most "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_QUERY_INT},
            },
        ]

    # ------------------------------------------------------------------------ private
    def _key(self, row: object) -> list[Any]:
        values = []
        for name, _direction in self.keys:
            value = (
                row[name.lstrip("-")] if isinstance(row, dict) else getattr(row, name.lstrip("-"))
            )
            values.append(value.isoformat() if isinstance(value, datetime) else value)
        return values

    def _beyond(self, key: list[Any], backwards: bool) -> Q:
        """Rows after `key` in the list's order (before it when going back): lexicographic."""
        condition = Q(pk__in=[])
        for index, (name, _direction) in enumerate(self.keys):
            field = name.lstrip("-")
            descending = name.startswith("-") != backwards
            step = Q(**{f"{field}__{'lt' if descending else 'gt'}": key[index]})
            for earlier, value in zip(self.keys[:index], key, strict=False):
                step &= Q(**{earlier[0].lstrip("-"): value})
            condition |= step
        return condition

    def _decode(self, encoded: str | None) -> tuple[list[Any], bool] | None:
        if encoded is None:
            return None
        try:
            cursor = json.loads(_unbase64(encoded))
            values, backwards = cursor["k"], cursor["b"]
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError("wrong key")
            if backwards not in (0, 1) or isinstance(backwards, float):
                raise ValueError("wrong direction")
            key = [
                _key_value(value, kind) for value, (_, kind) in zip(values, self.keys, strict=True)
            ]
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
            raise invalid_cursor() from None
        return key, bool(backwards)

    def _link(self, key: list[Any], backwards: bool) -> str:
        payload = json.dumps({"k": key, "b": int(backwards)}, separators=(",", ":"))
        encoded = base64.b64encode(payload.encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def _first_page(self) -> str:
        return remove_query_param(self.base_url, self.cursor_query_param)


def _key_value(value: object, kind: type) -> int | datetime:
    """A cursor's key value checked against its column's type (the cursor is client input)."""
    if kind is int:
        if type(value) is not int or not 0 <= value <= MAX_QUERY_INT:
            raise ValueError("not an id")
        return value
    if kind is datetime:
        if not isinstance(value, str):
            raise ValueError("not a time")
        moment = datetime.fromisoformat(value)
        if timezone.is_naive(moment):
            raise ValueError("a time without offset")
        return moment.astimezone(UTC)
    raise TypeError(f"unsupported key type {kind}")


class PlanPagination(KeysetPagination):
    """The plan list: soonest first."""

    keys = (("start_at", datetime), ("id", int))


class ConversationPagination(KeysetPagination):
    """The conversation list: latest activity (last message, else creation) first."""

    keys = (("-activity_at", datetime), ("-id", int))
