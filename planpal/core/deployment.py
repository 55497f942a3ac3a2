"""Which kind of deployment the settings describe, and whether its SECRET_KEY is acceptable.

The demo key is in the source, so anyone can sign tokens with it: it is allowed only for the
embedded default, a local demo that nobody else can reach (SQLite under the data directory, no
Redis, listening on a loopback address). Every other combination needs a key of its own.
"""

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEMO_SECRET_KEY = "planpal-embedded-development-key-not-for-production"
MIN_SECRET_KEY_BYTES = 32


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_embedded_default(
    *, database: Mapping[str, Any], redis_url: str, host: str, data_dir: Path
) -> bool:
    """SQLite file under the data directory, no Redis, bound to loopback."""
    if not database["ENGINE"].endswith("sqlite3") or redis_url or not is_loopback(host):
        return False
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:":
        return False
    return Path(name).resolve().is_relative_to(data_dir.resolve())


def secret_key_problem(secret_key: str, *, embedded_default: bool) -> str | None:
    """Why PlanPal must not start with this key, or None when it may."""
    if secret_key == DEMO_SECRET_KEY and not embedded_default:
        return (
            "SECRET_KEY is not set. The built-in demo key is public and only allowed for the "
            "embedded default (SQLite under the data directory, no REDIS_URL, a loopback HOST). "
            'Set SECRET_KEY to a long random value, e.g. python3 -c "import secrets; '
            'print(secrets.token_urlsafe(50))".'
        )
    if len(secret_key.encode()) < MIN_SECRET_KEY_BYTES:
        return f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long."
    return None
