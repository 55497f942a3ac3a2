"""Turning an endpoint off: by its managers (services), because it kept failing (delivery), or
because its creator can no longer manage the group — an endpoint sends on its creator's
authority, so it must not outlive it (removed, left, demoted, account deactivated). The group's
managers are told in the last two cases."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.core import notices
from planpal.core.notices import Text
from planpal.groups.models import Membership
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint

DISABLED_KIND = "webhook.disabled"
MANAGERS = (Membership.Role.OWNER, Membership.Role.ADMIN)


def endpoint_disable(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """Stop deliveries: the endpoint is inactive and its pending deliveries are failed."""
    now = timezone.now()
    endpoint.active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:200]
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason", "updated_at"])
    endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, last_error="webhook disabled"
    )


def webhook_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """Called by delivery when an endpoint kept failing past the retry window: stop, and tell
    the group's owners and the endpoint's creator (if still an owner or admin)."""
    with transaction.atomic():
        endpoint_disable(endpoint, reason=reason)
        managers = Membership.objects.filter(group_id=endpoint.group_id)
        recipients = sorted(
            m.user_id
            for m in managers
            if m.role == Membership.Role.OWNER
            or (m.is_manager and m.user_id == endpoint.created_by_id)
        )
        body = format_lazy(
            _(
                "Deliveries to {url} kept failing, so the webhook was turned off. "
                "Fix the receiver, then enable it again."
            ),
            url=endpoint.url,
        )
        notices.send([_disabled_notice(endpoint, recipients, body)])


# ---------------------------------------------------------------------------- creator's access
def creator_can_manage(endpoint: WebhookEndpoint) -> bool:
    """Whether the endpoint's creator is still an active owner or admin of its group."""
    if endpoint.created_by_id is None:
        return False
    return Membership.objects.filter(
        group_id=endpoint.group_id,
        user_id=endpoint.created_by_id,
        role__in=MANAGERS,
        user__is_active=True,
    ).exists()


def endpoints_orphan(endpoints, *, why: Text) -> list[int]:
    """Disable the active `endpoints` (a queryset) whose creator can no longer manage their
    group, and tell each group's remaining owners and admins. `why` is a sentence about the
    creator's `{name}`; returns the ids turned off. Runs in the caller's transaction."""
    turned_off = []
    for endpoint in endpoints.filter(active=True).select_for_update().select_related("created_by"):
        if creator_can_manage(endpoint):
            continue
        creator = endpoint.created_by.public_name if endpoint.created_by else _("(unknown)")
        reason = format_lazy(why, name=creator)
        endpoint_disable(endpoint, reason=str(reason))
        remaining = Membership.objects.filter(
            group_id=endpoint.group_id, role__in=MANAGERS, user__is_active=True
        ).exclude(user_id=endpoint.created_by_id)
        body = format_lazy(
            _(
                "The webhook to {url} was turned off: {reason} An owner or admin can enable it "
                "again; it then sends on their authority."
            ),
            url=endpoint.url,
            reason=reason,
        )
        recipients = sorted(remaining.values_list("user_id", flat=True))
        notices.send([_disabled_notice(endpoint, recipients, body)])
        turned_off.append(endpoint.pk)
    return turned_off


def member_removed(*, group_id: int, user_id: int, **_rest: object) -> None:
    """groups hook: someone left or was removed."""
    mine = WebhookEndpoint.objects.filter(group_id=group_id, created_by_id=user_id)
    endpoints_orphan(mine, why=_("Its creator {name} is no longer a member of the group."))


def member_role_changed(*, group_id: int, user_id: int, role: str, **_rest: object) -> None:
    """groups hook: an owner or admin who became a plain member loses their endpoints."""
    if role not in MANAGERS:
        mine = WebhookEndpoint.objects.filter(group_id=group_id, created_by_id=user_id)
        endpoints_orphan(
            mine, why=_("Its creator {name} is no longer an owner or admin of the group.")
        )


def account_deactivated(*, user_id: int) -> None:
    """accounts hook: every endpoint the account created, in every group."""
    endpoints_orphan(
        WebhookEndpoint.objects.filter(created_by_id=user_id),
        why=_("Its creator {name} was deactivated."),
    )


def _disabled_notice(endpoint: WebhookEndpoint, recipients, body: Text) -> notices.Notice:
    return notices.Notice(
        kind=DISABLED_KIND,
        recipients=recipients,
        title=_("Webhook disabled"),
        body=body,
        data={"webhook_id": endpoint.pk, "group_id": endpoint.group_id},
        group_id=endpoint.group_id,
    )
