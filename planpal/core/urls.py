"""The `id` path converter every app's routes use for database ids, registered on import.

App URL modules import this module before building their urlpatterns (`<id:plan_id>`)."""

from django.urls import register_converter


class IdConverter:
    """A database id, 1 .. 2**63-1. Longer numbers do not match the route (a 404), so no lookup
    ever sees a value the database cannot hold."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
