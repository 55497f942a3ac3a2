"""Place search through a Nominatim-compatible geocoder (GEOCODER_URL), cached and rate limited.

Answers are cached (Django's cache: Redis in production) under the normalised query, so a
popular place costs the geocoder one request per GEOCODER_CACHE_SECONDS. Cache misses go
through one deployment-wide budget (`RATE_LIMIT_GEOCODER`, the public Nominatim's one per
second) before they leave: the geocoder's limit is the whole deployment's, not a user's. Only
the typed text and the bias position are sent, never who asked."""

import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import Throttled

from planpal.core import ratelimit
from planpal.core.exceptions import DomainError

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 1024 * 1024
BIAS_DEGREES = Decimal("0.25")  # half the side of the box that `near` favours (~25 km)
MICRODEGREE = Decimal("0.000001")  # what activities store (6 places)


class GeocoderDisabled(DomainError):
    status_code = 503
    code = "geocoder_disabled"
    default_message = gettext_lazy("Place search is not set up on this server (GEOCODER_URL).")


class GeocoderFailed(DomainError):
    status_code = 502
    code = "geocoder_unavailable"
    default_message = gettext_lazy("The place search service did not answer; try again later.")


@dataclass(frozen=True)
class Near:
    lat: Decimal
    lng: Decimal


def search(*, query: str, near: Near | None, limit: int) -> dict[str, Any]:
    """{"results": [place…], "attribution": text} for `query`, favouring places around `near`."""
    if not settings.GEOCODER_URL:
        raise GeocoderDisabled()
    key = _cache_key(query, near, limit)
    found = cache.get(key)
    if found is not None:
        return found
    _spend_budget()
    answer = _parse(_ask(query, near, limit))
    cache.set(key, answer, settings.GEOCODER_CACHE_SECONDS)
    return answer


def _cache_key(query: str, near: Near | None, limit: int) -> str:
    # Case and spacing do not change what a geocoder finds; the bias is rounded to ~1 km.
    text = " ".join(query.casefold().split())
    bias = None
    if near is not None:
        bias = [str(near.lat.quantize(Decimal("0.01"))), str(near.lng.quantize(Decimal("0.01")))]
    material = json.dumps([settings.GEOCODER_URL, text, bias, limit])
    return "places:v1:" + hashlib.sha256(material.encode()).hexdigest()


def _spend_budget() -> None:
    if not settings.RATE_LIMITS_ENABLED:
        return
    wait = ratelimit.hit("geocoder", "deployment")
    if wait is not None:
        raise Throttled(wait=wait, detail=_("Place search is busy; try again in a moment."))


def _params(query: str, near: Near | None, limit: int) -> dict[str, str]:
    params = {"q": query, "format": "jsonv2", "limit": str(limit), "addressdetails": "0"}
    if near is not None:  # a preference, not a filter (bounded=0)
        left, right = near.lng - BIAS_DEGREES, near.lng + BIAS_DEGREES
        top, bottom = near.lat + BIAS_DEGREES, near.lat - BIAS_DEGREES
        box = ",".join(_degrees(value) for value in (left, top, right, bottom))
        params |= {"viewbox": box, "bounded": "0"}
    return params


def _degrees(value: Decimal) -> str:
    return f"{value.quantize(MICRODEGREE).normalize():f}"  # -48.74, not -48.74000000 or 1E+1


def _ask(query: str, near: Near | None, limit: int) -> Any:
    try:
        response = httpx.get(
            f"{settings.GEOCODER_URL}/search",
            params=_params(query, near, limit),
            headers={"User-Agent": settings.GEOCODER_USER_AGENT, "Accept": "application/json"},
            timeout=settings.GEOCODER_TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        log.warning("geocoder unreachable: %s", type(error).__name__)
        raise GeocoderFailed() from error
    if response.status_code != 200 or len(response.content) > MAX_ANSWER_BYTES:
        log.warning("geocoder answered %s (%d bytes)", response.status_code, len(response.content))
        raise GeocoderFailed()
    try:
        return response.json()
    except ValueError as error:
        log.warning("geocoder answered something that is not JSON")
        raise GeocoderFailed() from error


def _parse(items: Any) -> dict[str, Any]:
    if not isinstance(items, list):
        log.warning("geocoder answered a %s, not a list", type(items).__name__)
        raise GeocoderFailed()
    places = [place for place in map(_place, items) if place is not None]
    licences = [item.get("licence") for item in items if isinstance(item, dict)]
    attribution = next((str(text)[:300] for text in licences if text), "")
    return {"results": places, "attribution": attribution}


def _coordinate(value: Any, bound: int) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or not -bound <= number <= bound:
        return None
    return number.quantize(MICRODEGREE, rounding=ROUND_HALF_EVEN)


def _place(item: Any) -> dict[str, str] | None:
    """One result in the activity's own field names, so a client copies it into the form; a
    result without a usable position is dropped."""
    if not isinstance(item, dict):
        return None
    lat, lng = _coordinate(item.get("lat"), 90), _coordinate(item.get("lon"), 180)
    if lat is None or lng is None:
        return None
    address = str(item.get("display_name") or "").strip()
    name = str(item.get("name") or "").strip() or address.split(",")[0].strip()
    return {
        "location_name": name[:200],
        "location_address": address[:500],
        "lat": str(lat),
        "lng": str(lng),
        "category": str(item.get("category") or item.get("class") or "")[:50],
        "type": str(item.get("type") or "")[:50],
    }
