"""Input (shape and types only) and output serializers of the groups API."""

from django.conf import settings
from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.core.serializers import StreamSerializer, StrictCharField, id_field
from planpal.groups.models import Group, Invite, Membership
from planpal.groups.services import INVITE_MAX_TTL_HOURS, INVITE_MAX_USES

# ---------------------------------------------------------------------------- output


class GroupSerializer(serializers.ModelSerializer):
    """A group as `selectors.groups_snapshot` returns it (annotated for the viewer)."""

    owner = PublicUserSerializer(read_only=True)
    conversation = serializers.IntegerField(
        source="conversation_pk", allow_null=True, read_only=True
    )
    my_role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    stream = StreamSerializer(read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "conversation",
            "my_role",
            "member_count",
            "created_at",
            "updated_at",
            "stream",
        ]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    user = PublicUserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]
        read_only_fields = fields


class MemberListSerializer(serializers.Serializer):
    stream = StreamSerializer(read_only=True)
    results = MemberSerializer(many=True, read_only=True)


class InviteSerializer(serializers.ModelSerializer):
    """An invite as the list shows it: never the token, only its first characters."""

    created_by = PublicUserSerializer(read_only=True)
    active = serializers.BooleanField(source="is_usable", read_only=True)

    class Meta:
        model = Invite
        fields = [
            "id",
            "token_prefix",
            "created_by",
            "created_at",
            "expires_at",
            "max_uses",
            "uses",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields


class InviteCreatedSerializer(serializers.ModelSerializer):
    """The new invite with its token and link: shown once, never stored in clear."""

    token = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Invite
        fields = [
            "id",
            "token",
            "url",
            "token_prefix",
            "expires_at",
            "max_uses",
            "uses",
            "created_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------- input


class GroupCreateInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)


class GroupUpdateInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100, required=False)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)


class MemberAddInputSerializer(serializers.Serializer):
    user = id_field()


class MemberRoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class InviteCreateInputSerializer(serializers.Serializer):
    expires_in_hours = serializers.IntegerField(
        min_value=1,
        max_value=INVITE_MAX_TTL_HOURS,
        required=False,
        help_text=f"Default {settings.INVITE_DEFAULT_TTL_HOURS} (INVITE_DEFAULT_TTL_HOURS).",
    )
    max_uses = serializers.IntegerField(
        min_value=1, max_value=INVITE_MAX_USES, required=False, allow_null=True
    )
