"""Notification input serializers (shape and types only) and output serializers."""

from rest_framework import serializers

from planpal.core.serializers import StreamSerializer, StrictCharField, id_field
from planpal.notifications.models import Device
from planpal.notifications.services import MAX_MUTES, MAX_TOKEN, NOTIFICATION_KINDS


# ---------------------------------------------------------------------------- output
class NotificationOutputSerializer(serializers.Serializer):
    """As GET /notifications returns it and `notification.created` carries it."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    # The JSON key is "data"; DRF's metaclass moves declared fields out of the class, so the field
    # does not hide Serializer.data, but the stubs cannot know.
    data = serializers.JSONField(read_only=True)  # type: ignore[assignment]
    count = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)


class UnreadCountOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    stream = StreamSerializer()


class ReadAllOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class DeviceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    platform = serializers.CharField(read_only=True)
    token = serializers.CharField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_seen_at = serializers.DateTimeField(read_only=True)


class PreferencesSerializer(serializers.Serializer):
    """Output, and input for PUT/PATCH: every field is optional there, omitted ones stay."""

    muted_group_ids = serializers.ListField(child=id_field(), max_length=MAX_MUTES, required=False)
    muted_plan_ids = serializers.ListField(child=id_field(), max_length=MAX_MUTES, required=False)
    disabled_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(NOTIFICATION_KINDS)),
        max_length=len(NOTIFICATION_KINDS) * 2,
        required=False,
        help_text="Kinds you do not want: " + ", ".join(sorted(NOTIFICATION_KINDS)) + ".",
    )
    quiet_hours_start = serializers.TimeField(required=False, allow_null=True)
    quiet_hours_end = serializers.TimeField(required=False, allow_null=True)


# ---------------------------------------------------------------------------- input
class DeviceRegisterInputSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    token = StrictCharField(max_length=MAX_TOKEN)


class DeviceUnregisterInputSerializer(serializers.Serializer):
    token = StrictCharField(max_length=MAX_TOKEN)


class NotificationListQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)
