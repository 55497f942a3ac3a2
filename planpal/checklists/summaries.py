"""Human summaries of checklist events for the plan's activity feed (registered in apps.py), in
the reader's language: who did what ("Bob ticked Tent")."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from planpal.realtime.summaries import Names

Payload = dict[str, Any]


def _about(payload: Payload, actor: int | None, names: Names) -> dict[str, str]:
    return {
        "actor": names.of(actor),
        "item": payload.get("text") or _("an item"),
        "title": payload.get("title", ""),
    }


def _saying(sentence: str):
    """A summary function: `sentence` (marked with gettext_noop) translated when it is read."""

    def summary(payload: Payload, actor: int | None, names: Names) -> str:
        return _(sentence) % _about(payload, actor, names)

    return summary


SUMMARIES = {
    "plan.checklist_created": _saying(gettext_noop("%(actor)s started the list %(title)s")),
    "plan.checklist_renamed": _saying(gettext_noop("%(actor)s renamed a list to %(title)s")),
    "plan.checklist_deleted": _saying(gettext_noop("%(actor)s deleted a list")),
    "plan.checklist_item_added": _saying(gettext_noop("%(actor)s added %(item)s")),
    "plan.checklist_item_updated": _saying(gettext_noop("%(actor)s updated %(item)s")),
    "plan.checklist_item_ticked": _saying(gettext_noop("%(actor)s ticked %(item)s")),
    "plan.checklist_item_unticked": _saying(gettext_noop("%(actor)s unticked %(item)s")),
    "plan.checklist_item_deleted": _saying(gettext_noop("%(actor)s removed an item")),
    "plan.checklist_reordered": _saying(gettext_noop("%(actor)s reordered a list")),
}
