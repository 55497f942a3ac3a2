"""Writes to push devices: a token registered, moved to another account, or forgotten."""

import contextlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planpal.core.exceptions import InvalidInput, NotFound
from planpal.notifications.models import Device
from planpal.notifications.services.common import MAX_TOKEN


# ---------------------------------------------------------------------------- devices
def device_register(*, actor, platform: str, token: str) -> tuple[Device, bool]:
    """Register the push token of one of the actor's devices. A token is one app install: when
    another account signs in on it, the device moves to that account. Returns (device, created)."""
    if platform not in Device.Platform.values:
        raise InvalidInput(
            _("Unknown platform."),
            fields={
                "platform": [
                    _("One of %(values)s.") % {"values": ", ".join(Device.Platform.values)}
                ]
            },
        )
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN:
        raise InvalidInput(
            _("Invalid push token."),
            fields={"token": [_("1 to %(max)s characters.") % {"max": MAX_TOKEN}]},
        )
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(token=token).first()
        if device is None:
            try:
                with transaction.atomic():
                    return Device.objects.create(user=actor, platform=platform, token=token), True
            except IntegrityError:
                # The same token registered concurrently (two requests from one phone).
                device = Device.objects.select_for_update().get(token=token)
        device.user = actor
        device.platform = platform
        device.active = True
        device.last_seen_at = timezone.now()
        device.save(update_fields=["user", "platform", "active", "last_seen_at"])
        return device, False


def device_unregister(*, actor, token: str | None = None, device_id: int | None = None) -> None:
    """Forget one of the actor's devices, named by its token or id. Others' devices: NotFound."""
    with transaction.atomic():
        devices = Device.objects.filter(user=actor)
        if device_id is not None:
            devices = devices.filter(pk=device_id)
        elif token:
            devices = devices.filter(token=token.strip())
        else:
            raise InvalidInput(_("Name the device by token."), fields={"token": [_("Required.")]})
        deleted, _by_model = devices.delete()
        if not deleted:
            raise NotFound(_("Device not found."))


def device_logged_out(*, user, device_token: str) -> None:
    """An accounts hook: a logged-out phone must not keep receiving the user's pushes. Logging
    out twice, or with a token already gone, is still a logout."""
    with contextlib.suppress(NotFound):
        device_unregister(actor=user, token=device_token)
