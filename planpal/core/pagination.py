"""Pagination: limit/offset for small lists, cursors for feeds that grow at the head.

`limit` and `offset` are checked, not guessed: a value that is not a whole number in range is a
400 naming the parameter (DRF alone would quietly fall back to its defaults). A `limit` above the
maximum still means the maximum."""

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, LimitOffsetPagination

MAX_QUERY_INT = 10**18 - 1
_DIGITS = re.compile(r"[0-9]{1,18}")


def query_int(request, name: str, *, default: int, minimum: int, maximum: int | None) -> int:
    """The query parameter `name` as an int in minimum..MAX_QUERY_INT, capped at `maximum`."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or int(raw) < minimum:
        raise ValidationError({name: [f"Must be a whole number from {minimum}."]})
    value = int(raw)
    return min(value, maximum) if maximum is not None else value


def _documented(parameters: list[dict], minimums: dict[str, int]) -> list[dict]:
    for parameter in parameters:
        if parameter["name"] in minimums:
            bounds = {"minimum": minimums[parameter["name"]], "maximum": MAX_QUERY_INT}
            parameter["schema"] = {**parameter["schema"], **bounds}
    return parameters


class DefaultPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def get_limit(self, request) -> int:
        return query_int(
            request,
            self.limit_query_param,
            default=self.default_limit,
            minimum=1,
            maximum=self.max_limit,
        )

    def get_offset(self, request) -> int:
        return query_int(request, self.offset_query_param, default=0, minimum=0, maximum=None)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        return _documented(parameters, {self.limit_query_param: 1, self.offset_query_param: 0})


class NewestFirstCursorPagination(CursorPagination):
    """Stable under inserts: a page never repeats or skips rows when new ones arrive."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        return query_int(
            request,
            self.page_size_query_param,
            default=self.page_size,
            minimum=1,
            maximum=self.max_page_size,
        )

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        return _documented(parameters, {self.page_size_query_param: 1})


class StreamCursorPagination(NewestFirstCursorPagination):
    """A page of a topic's history that also carries the topic's `stream` (set by the view,
    read before the page), so a client can follow live from where the page ends."""

    stream: dict | None = None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["stream"] = self.stream
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["stream"] = {
            "type": "object",
            "properties": {"topic": {"type": "string"}, "seq": {"type": "integer"}},
        }
        return result
