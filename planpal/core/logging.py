"""Logging helpers: secrets never reach a log line."""

import logging
import re

SECRET_QUERY = re.compile(r"(ticket|token|access|refresh)=[^&\s\"']+", re.IGNORECASE)


class RedactSecrets(logging.Filter):
    """Masks credentials in query strings (e.g. the WebSocket URL uvicorn logs on accept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                SECRET_QUERY.sub(r"\1=***", arg) if isinstance(arg, str) else arg
                for arg in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        if isinstance(record.msg, str):
            record.msg = SECRET_QUERY.sub(r"\1=***", record.msg)
        return True


def uvicorn_log_config() -> dict:
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": "planpal.core.logging.RedactSecrets"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    return config
