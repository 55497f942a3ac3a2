"""Writes to a user's notification preferences (mutes, switched-off kinds, quiet hours)."""

from datetime import time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from planpal.core.events import emit
from planpal.core.exceptions import InvalidInput
from planpal.groups.models import Membership
from planpal.notifications.events import NotificationPreferencesUpdated
from planpal.notifications.models import NotificationPreference
from planpal.notifications.services.common import MAX_MUTES, NOTIFICATION_KINDS, UNSET, _user_topic
from planpal.plans.selectors import plans_for_user


# ---------------------------------------------------------------------------- preferences
def preferences_update(
    *,
    actor,
    muted_group_ids: list[int] = UNSET,
    muted_plan_ids: list[int] = UNSET,
    disabled_kinds: list[str] = UNSET,
    quiet_hours_start: time | None = UNSET,
    quiet_hours_end: time | None = UNSET,
) -> NotificationPreference:
    """Replace the given preferences (omitted ones stay). Mutes must name groups the actor is in
    and plans they can see; kinds must be NOTIFICATION_KINDS; quiet hours come as a pair."""
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        preferences, created = _preferences_for_update(actor)
        before = _preference_values(preferences)
        if muted_group_ids is not UNSET:
            preferences.muted_group_ids = _checked_ids(
                muted_group_ids, _my_group_ids(actor), "muted_group_ids", _("groups"), errors
            )
        if muted_plan_ids is not UNSET:
            preferences.muted_plan_ids = _checked_ids(
                muted_plan_ids,
                _my_plan_ids(actor, muted_plan_ids),
                "muted_plan_ids",
                _("plans"),
                errors,
            )
        if disabled_kinds is not UNSET:
            unknown = sorted(set(disabled_kinds) - set(NOTIFICATION_KINDS))
            if unknown:
                errors["disabled_kinds"] = [
                    _("Unknown kind(s): %(kinds)s.") % {"kinds": ", ".join(unknown)}
                ]
            preferences.disabled_kinds = sorted(set(disabled_kinds))
        if quiet_hours_start is not UNSET:
            preferences.quiet_hours_start = quiet_hours_start
        if quiet_hours_end is not UNSET:
            preferences.quiet_hours_end = quiet_hours_end
        start, end = preferences.quiet_hours_start, preferences.quiet_hours_end
        if (start is None) != (end is None):
            errors["quiet_hours_end" if end is None else "quiet_hours_start"] = [
                _("Set both quiet_hours_start and quiet_hours_end, or neither.")
            ]
        elif start is not None and start == end:
            errors["quiet_hours_end"] = [_("Quiet hours must not start and end at the same time.")]
        if errors:
            raise InvalidInput(_("Some preferences are invalid."), fields=errors)
        if not created and _preference_values(preferences) == before:
            return preferences
        preferences.save()
        emit(
            NotificationPreferencesUpdated.from_preferences(preferences),
            topic=_user_topic(actor.pk),
            actor=actor,
        )
        return preferences


def _preferences_for_update(actor) -> tuple[NotificationPreference, bool]:
    preferences = NotificationPreference.objects.select_for_update().filter(user=actor).first()
    if preferences is not None:
        return preferences, False
    try:
        with transaction.atomic():
            return NotificationPreference.objects.create(user=actor), True
    except IntegrityError:
        return NotificationPreference.objects.select_for_update().get(user=actor), False


def _preference_values(preferences: NotificationPreference) -> tuple:
    return (
        list(preferences.muted_group_ids),
        list(preferences.muted_plan_ids),
        list(preferences.disabled_kinds),
        preferences.quiet_hours_start,
        preferences.quiet_hours_end,
    )


def _my_group_ids(actor) -> set[int]:
    return set(Membership.objects.filter(user=actor).values_list("group_id", flat=True))


def _my_plan_ids(actor, wanted: list[int]) -> set[int]:
    if not wanted:
        return set()
    visible = plans_for_user(user=actor).filter(pk__in=set(wanted)).order_by()
    return set(visible.values_list("pk", flat=True))


def _checked_ids(
    ids: list[int], allowed: set[int], field: str, things: str, errors: dict[str, list[str]]
) -> list[int]:
    unique = sorted(set(ids))
    if len(unique) > MAX_MUTES:
        errors[field] = [_("At most %(max)s %(things)s.") % {"max": MAX_MUTES, "things": things}]
        return unique
    unknown = [pk for pk in unique if pk not in allowed]
    if unknown:
        errors[field] = [
            _("Unknown %(things)s: %(ids)s.")
            % {"things": things, "ids": ", ".join(map(str, unknown))}
        ]
    return unique
