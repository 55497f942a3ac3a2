"""Pagination: limit/offset for small lists, cursors for feeds that grow at the head."""

from rest_framework.pagination import CursorPagination, LimitOffsetPagination


class DefaultPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class NewestFirstCursorPagination(CursorPagination):
    """Stable under inserts: a page never repeats or skips rows when new ones arrive."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
