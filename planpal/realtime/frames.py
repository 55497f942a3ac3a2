"""Wire format of server → client frames. Each event is serialised once, here, by its publisher."""

import json
from typing import Any

from planpal.realtime.models import Event


def dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def iso_ms(value) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_frame(row: Event) -> str:
    return dumps(
        {
            "type": "event",
            "topic": row.topic,
            "seq": row.seq,
            "id": str(row.id),
            "event": row.name,
            "ts": iso_ms(row.created_at),
            "actor": row.actor_id,
            "client_id": row.client_id,
            "data": row.payload,
        }
    )


def error_frame(code: str, message: str, ref: Any = None) -> str:
    return dumps({"type": "error", "code": code, "message": message, "ref": ref})
