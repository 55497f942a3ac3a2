"""The OpenAPI schema the server serves at /api/schema/, for tests that check an answer they got
is one the schema documents (clients are generated from it)."""

import re
from functools import cache

from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator


@cache
def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operation_of(response) -> dict:
    """The schema's operation for the request a test client's response answered."""
    route = resolve(response.request["PATH_INFO"]).route  # "api/v1/polls/<id:poll_id>/votes"
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return api_schema()["paths"][path][response.request["REQUEST_METHOD"].lower()]


def assert_documented(response) -> None:
    documented = operation_of(response)["responses"]
    assert str(response.status_code) in documented, (response.status_code, sorted(documented))
