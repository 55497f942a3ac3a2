"""Logs: one JSON object per line with the request id and user id; secrets never appear."""

import json
import logging

from planpal.core.logging import AddContext, JsonFormatter, RedactSecrets, bind


def render(record: logging.LogRecord) -> dict:
    RedactSecrets().filter(record)
    AddContext().filter(record)
    return json.loads(JsonFormatter().format(record))


def record(message: str, *args, **extra) -> logging.LogRecord:
    rec = logging.LogRecord("planpal.test", logging.WARNING, __file__, 1, message, args, None)
    rec.__dict__.update(extra)
    return rec


def test_a_line_carries_the_bound_context():
    bind(request_id="req-123", user_id=7, conn_id="c0ffee", topic="plan:42")
    try:
        line = render(record("subscribe %s failed", "plan:42", seq=3))
    finally:
        bind(request_id=None, user_id=None, conn_id=None, topic=None)
    assert line | {"ts": None} == {
        "ts": None,
        "level": "warning",
        "logger": "planpal.test",
        "message": "subscribe plan:42 failed",
        "request_id": "req-123",
        "user_id": 7,
        "conn_id": "c0ffee",
        "topic": "plan:42",
        "seq": 3,
    }


def test_tokens_tickets_passwords_and_invite_links_are_masked():
    line = render(
        record(
            "GET %s auth=%s",
            "/ws/?ticket=abcdefSECRET&x=1 /api/v1/invites/INVITESECRET/accept password=hunter2",
            "Bearer eyJhbGciOiJIUzI1NiJ9.SECRET.sig",
        )
    )
    text = json.dumps(line)
    for secret in ("abcdefSECRET", "INVITESECRET", "hunter2", "eyJhbGciOiJIUzI1NiJ9"):
        assert secret not in text
    assert "ticket=***" in line["message"] and "/invites/***/accept" in line["message"]


def test_every_response_has_a_request_id_and_one_access_line(client_for, alice, caplog):
    with caplog.at_level(logging.INFO, logger="planpal.access"):
        response = client_for(alice).get("/api/v1/plans", HTTP_X_REQUEST_ID="lb-req-0001")
        generated = client_for(alice).get("/api/v1/plans", HTTP_X_REQUEST_ID="bad id\n")
    assert response["X-Request-ID"] == "lb-req-0001"
    assert generated["X-Request-ID"] != "bad id\n" and len(generated["X-Request-ID"]) == 16
    [first, _] = [r for r in caplog.records if r.name == "planpal.access"]
    assert (first.route, first.status, first.user_id) == ("api/v1/plans", 200, alice.pk)
    assert first.request_id == "lb-req-0001"


def test_an_invite_token_never_reaches_the_access_log(client_for, alice, caplog):
    with caplog.at_level(logging.INFO, logger="planpal.access"):
        client_for(alice).post("/api/v1/invites/SUPERSECRETTOKEN123/accept")
    assert "SUPERSECRETTOKEN123" not in caplog.text
    [line] = [r for r in caplog.records if r.name == "planpal.access"]
    assert line.route == "api/v1/invites/<str:token>/accept"


def test_objects_passed_to_a_log_line_are_redacted_too():
    class Request:
        def __repr__(self) -> str:
            return "<ASGIRequest: POST '/api/v1/invites/SECRETINVITE/accept?ticket=SECRETTICKET'>"

    line = render(record("Unauthorized: %s", "/x", request=Request(), status_code=401))
    assert "SECRETINVITE" not in json.dumps(line) and "SECRETTICKET" not in json.dumps(line)
    assert line["status_code"] == 401
