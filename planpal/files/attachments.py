"""Who may see an attached upload: each app that attaches files registers its attachment kind
here in its AppConfig.ready() (chat: "chat.message"). The files app never imports them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AttachmentKind:
    name: str
    # (user_id, upload_id) → may this user see the upload now?
    may_see: Callable[[int, int], bool]
    # upload ids → those still attached to a live object (the rest are collected as orphans)
    in_use: Callable[[Iterable[int]], set[int]]


_KINDS: dict[str, AttachmentKind] = {}


def register(kind: AttachmentKind) -> None:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"attachment kind {kind.name!r} registered twice")
    _KINDS[kind.name] = kind


def get(name: str) -> AttachmentKind | None:
    return _KINDS.get(name)
