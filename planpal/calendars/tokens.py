"""Feed URL tokens: derived from a stored random secret with SECRET_KEY, looked up by their hash.

A request is matched by the SHA-256 of the token it presents (an index lookup on a value the
caller cannot steer, so its timing says nothing about stored tokens), then the token is compared
in constant time with the one the row's secret derives today: a rotated SECRET_KEY closes every
old URL, as it does for file links."""

import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

SALT = "planpal.calendars.feed"


def new_secret() -> str:
    return secrets.token_hex(32)


def token_of(secret: str) -> str:
    """The URL token of a feed secret: 64 hex characters."""
    return salted_hmac(SALT, secret, algorithm="sha256").hexdigest()


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def matches(token: str, secret: str) -> bool:
    return hmac.compare_digest(token.encode("utf-8", "replace"), token_of(secret).encode())
