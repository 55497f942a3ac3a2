"""Every user-facing operation of the API has a way in the web client (issue 20).

The operations come from the OpenAPI schema at /api/schema/; the client's calls are read from its
source (`api.get/post/put/patch/del("…")`, `api.href("…")` for links the browser opens itself,
`allPages("…")`, and the offline writes' `method: "…", path: "…"`, with literal paths, `${…}`
for ids). An operation must be called by the
client, or be listed below with the reason it is not: OPS_ONLY (for other clients or operators),
SHOWN_THROUGH (the screen gets the same data from another operation) or NOT_YET (a known gap,
listed so that it stays visible). A new operation in the API fails this test until a screen uses
it or it is listed."""

import re
from pathlib import Path

import pytest

CLIENT = Path(__file__).parents[2] / "planpal/web/static/web"

OPS_ONLY = {
    # Token authentication is for non-browser clients; the web client signs in with a session.
    ("POST", "/auth/token"): "JWT for API clients; the browser uses auth/login (session cookie)",
    ("POST", "/auth/token/refresh"): "JWT refresh for API clients",
    ("POST", "/realtime/ticket"): "WebSocket tickets for token clients; the browser's socket "
    "authenticates with its session cookie",
    ("GET", "/health/live"): "load balancer probe",
    ("GET", "/health/ready"): "load balancer probe",
    # Push registrations belong to the mobile apps' push setup: a browser has no FCM token.
    ("GET", "/devices"): "mobile push registrations",
    ("POST", "/devices"): "mobile push registrations",
    ("DELETE", "/devices"): "mobile push registrations",
    ("DELETE", "/devices/{device_id}"): "mobile push registrations",
    ("GET", "/calendar/{token}.ics"): "polled by calendar apps with the URL the profile shows",
}

SHOWN_THROUGH = {
    ("GET", "/activities/{activity_id}"): "plan detail carries its activities",
    ("GET", "/plans/{plan_id}/activities"): "plan detail carries its activities",
    ("PUT", "/notification-preferences"): "the settings screen saves with PATCH",
    ("GET", "/webhooks/{webhook_id}"): "the group's webhook list carries each endpoint",
    ("GET", "/polls/{poll_id}/votes"): "a poll carries `ballots` (named) and `my_vote`",
    ("GET", "/checklists/{checklist_id}"): "the plan's checklists carry each list and its items",
    ("GET", "/uploads/{upload_id}"): "chat shows files through uploads/{id}/content (a redirect "
    "to a fresh signed URL), so it never holds a URL that expires",
}

NOT_YET: set[tuple[str, str]] = set()

CALL = re.compile(r"""(?:api\.(get|post|put|patch|del|href)|(allPages))\(\s*([`"'])(.*?)\3""", re.S)

# The writes that also work offline are described, not called (offline/writes.js): the outbox
# sends them later.
WRITE = re.compile(r"""method:\s*"(POST|PUT|PATCH|DELETE)",\s*path:\s*([`"'])(.*?)\2""", re.S)

VERBS = {"del": "DELETE", "href": "GET"}


def client_calls() -> set[tuple[str, str]]:
    calls = set()
    for source in CLIENT.rglob("*.js"):
        if "vendor" in source.parts:
            continue
        text = source.read_text()
        found = [
            ("GET" if pages else VERBS.get(method, method.upper()), path)
            for method, pages, _, path in CALL.findall(text)
        ]
        found += [(method, path) for method, _, path in WRITE.findall(text)]
        for method, path in found:
            path = re.sub(r"\$\{[^}]*\}", "{}", path.split("?")[0])
            calls.add((method, "/" + path.lstrip("/")))
    return calls


def operations(client) -> set[tuple[str, str]]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            if method in {"get", "post", "put", "patch", "delete"}:
                ops.add((method.upper(), path.removeprefix("/api/v1")))
    return ops


def template(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


@pytest.mark.django_db
def test_every_user_facing_operation_has_a_screen(client):
    ops = operations(client)
    called = {(method, template(path)) for method, path in client_calls()}
    listed = set(OPS_ONLY) | set(SHOWN_THROUGH) | NOT_YET
    missing = sorted(op for op in ops - listed if (op[0], template(op[1])) not in called)
    assert missing == [], f"operations without a screen (use them or list them): {missing}"
    covered_anyway = sorted(op for op in NOT_YET if (op[0], template(op[1])) in called)
    assert covered_anyway == [], f"NOT_YET lists operations the client uses: {covered_anyway}"
    assert listed <= ops, f"listed operations the API no longer has: {sorted(listed - ops)}"


def test_the_client_calls_only_operations_the_api_has(client_calls_and_ops):
    calls, ops = client_calls_and_ops
    known = {(method, template(path)) for method, path in ops}
    unknown = sorted(call for call in calls if (call[0], template(call[1])) not in known)
    assert unknown == [], f"the client calls operations the API does not have: {unknown}"


@pytest.fixture
def client_calls_and_ops(client, db):
    return client_calls(), operations(client)
