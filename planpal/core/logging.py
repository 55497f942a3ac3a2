"""Logging: one JSON object per line in production, with the request id, user id, WebSocket
connection id and topic of whatever was being done; secrets never reach a log line."""

import contextvars
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

SECRET_QUERY = re.compile(r"(ticket|token|access|refresh|password)=[^&\s\"']+", re.IGNORECASE)
BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# Invite links and calendar feeds carry their token in the path: /api/v1/invites/<token>/accept,
# /api/v1/calendar/<token>.ics.
INVITE_PATH = re.compile(r"(/invites/)[^/\s\"']+")
CALENDAR_PATH = re.compile(r"(/calendar/)[^/\s\"']+(\.ics)")

# What is being done right now; set by the request middleware and the WebSocket consumer.
CONTEXT_FIELDS = ("request_id", "user_id", "conn_id", "topic")
_context: dict[str, contextvars.ContextVar[Any]] = {
    name: contextvars.ContextVar(f"log_{name}", default=None) for name in CONTEXT_FIELDS
}


def bind(**values: Any) -> None:
    """Attach values (request_id, user_id, conn_id, topic) to every log line of this context."""
    for name, value in values.items():
        _context[name].set(value)


def unattributed(request: object) -> None:
    """This request's log lines name no user: a vote in an anonymous poll must not be traceable
    to its voter through the request log (`ObservabilityMiddleware` reads the mark). Takes a DRF
    or a Django request."""
    bind(user_id=None)
    # A DRF request wraps Django's, which the middleware sees; the mark is no declared attribute.
    django_request: Any = getattr(request, "_request", request)
    django_request.log_unattributed = True


def context() -> dict[str, Any]:
    return {name: var.get() for name, var in _context.items() if var.get() is not None}


def redact(text: str) -> str:
    text = SECRET_QUERY.sub(r"\1=***", text)
    text = BEARER.sub(r"\1***", text)
    text = INVITE_PATH.sub(r"\1***", text)
    return CALENDAR_PATH.sub(r"\1***\2", text)


class AddContext(logging.Filter):
    """Copies the bound context onto the record, for both formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, _context[name].get())
        return True


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "message", request_id?, user_id?, conn_id?, topic?, ...extra}."""

    RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", *CONTEXT_FIELDS}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        for key, value in vars(record).items():
            if key in self.RESERVED or key.startswith("_") or key == "color_message":
                continue
            # Anything else becomes text and is redacted: django.request passes the request
            # object, whose repr holds the path and query string.
            plain = value is None or isinstance(value, bool | int | float)
            entry[key] = value if plain else redact(str(value))
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development, with the request/connection id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        tags = " ".join(
            f"{name}={getattr(record, name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, None) is not None
        )
        return redact(f"{line} [{tags}]" if tags else line)


class RedactSecrets(logging.Filter):
    """Masks credentials in query strings (e.g. the WebSocket URL uvicorn logs on accept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def formatter_config(log_format: str) -> dict[str, str]:
    if log_format == "json":
        return {"()": "planpal.core.logging.JsonFormatter"}
    return {
        "()": "planpal.core.logging.PlainFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
    }


def uvicorn_log_config(log_format: str = "plain") -> dict[str, Any]:
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {
        "redact": {"()": "planpal.core.logging.RedactSecrets"},
        "context": {"()": "planpal.core.logging.AddContext"},
    }
    for handler in config["handlers"].values():
        handler["filters"] = ["redact", "context"]
    if log_format == "json":
        for name in config["formatters"]:
            config["formatters"][name] = formatter_config("json")
    return config
