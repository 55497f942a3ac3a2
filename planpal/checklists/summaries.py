"""Human summaries of checklist events for the plan's activity feed (registered in apps.py):
who did what ("Bob ticked Tent")."""

from typing import Any

Payload = dict[str, Any]


def _text(payload: Payload) -> str:
    return payload.get("text") or "an item"


SUMMARIES = {
    "plan.checklist_created": lambda p, a, n: f"{n.of(a)} started the list {p.get('title', '')}",
    "plan.checklist_renamed": lambda p, a, n: f"{n.of(a)} renamed a list to {p.get('title', '')}",
    "plan.checklist_deleted": lambda p, a, n: f"{n.of(a)} deleted a list",
    "plan.checklist_item_added": lambda p, a, n: f"{n.of(a)} added {_text(p)}",
    "plan.checklist_item_updated": lambda p, a, n: f"{n.of(a)} updated {_text(p)}",
    "plan.checklist_item_ticked": lambda p, a, n: f"{n.of(a)} ticked {_text(p)}",
    "plan.checklist_item_unticked": lambda p, a, n: f"{n.of(a)} unticked {_text(p)}",
    "plan.checklist_item_deleted": lambda p, a, n: f"{n.of(a)} removed an item",
    "plan.checklist_reordered": lambda p, a, n: f"{n.of(a)} reordered a list",
}
