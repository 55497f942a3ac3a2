"""Input (shape and types only) and output serializers of the accounts API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planpal.accounts.models import User
from planpal.accounts.selectors import SEARCH_MIN_LENGTH
from planpal.core.serializers import StreamSerializer, StrictCharField, id_field


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "uri", "maxLength": 500},
            {"type": "string", "enum": [""]},
        ],
        "description": 'A URL, or "" for no avatar.',
    }
)
class AvatarUrlField(serializers.URLField):
    """An avatar's URL, or "" when the user has none (so the schema says so)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=500, allow_blank=True, **kwargs)


LANGUAGE_HELP = (
    '"en" or "vi": the language of the API\'s answers and of notifications, pushes and mails '
    "to this user (docs/i18n.md)."
)

# ---------------------------------------------------------------------------- output


class PublicUserSerializer(serializers.ModelSerializer):
    """What anyone may see about a user. Reused by every app that shows people."""

    avatar_url = AvatarUrlField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "avatar_url"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    avatar_url = AvatarUrlField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "display_name",
            "avatar_url",
            "timezone",
            "language",
            "date_joined",
        ]
        read_only_fields = fields


class FriendSerializer(serializers.Serializer):
    """One line of the friends list (a `selectors.FriendEntry`), as seen by the requesting user."""

    user = PublicUserSerializer(read_only=True)
    status = serializers.ChoiceField(choices=["accepted", "pending", "blocked"], read_only=True)
    direction = serializers.ChoiceField(
        choices=["incoming", "outgoing"], allow_null=True, read_only=True
    )
    since = serializers.DateTimeField(read_only=True)


class FriendListSerializer(serializers.Serializer):
    stream = StreamSerializer(read_only=True)
    results = FriendSerializer(many=True, read_only=True)


class UserSearchResultSerializer(serializers.Serializer):
    results = PublicUserSerializer(many=True, read_only=True)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


# ---------------------------------------------------------------------------- input


class RegisterInputSerializer(serializers.Serializer):
    username = StrictCharField(min_length=3, max_length=150)
    email = serializers.EmailField(max_length=254)
    password = StrictCharField(max_length=256, write_only=True, trim_whitespace=False)
    display_name = StrictCharField(max_length=80, required=False, allow_blank=True)
    language = StrictCharField(max_length=8, required=False, help_text=LANGUAGE_HELP)


class LoginInputSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=256, write_only=True, trim_whitespace=False)


class LogoutInputSerializer(serializers.Serializer):
    device_token = StrictCharField(required=False, max_length=512)
    refresh = StrictCharField(required=False, max_length=2048)


class TokenRefreshInputSerializer(serializers.Serializer):
    refresh = StrictCharField(max_length=2048)


class MeUpdateInputSerializer(serializers.Serializer):
    display_name = StrictCharField(max_length=80, required=False, allow_blank=True)
    avatar_url = AvatarUrlField(required=False)
    email = serializers.EmailField(max_length=254, required=False)
    timezone = StrictCharField(max_length=64, required=False)
    language = StrictCharField(max_length=8, required=False, help_text=LANGUAGE_HELP)


class PasswordChangeInputSerializer(serializers.Serializer):
    old_password = StrictCharField(max_length=256, write_only=True, trim_whitespace=False)
    new_password = StrictCharField(max_length=256, write_only=True, trim_whitespace=False)


class PasswordResetInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = StrictCharField(max_length=64)
    token = StrictCharField(max_length=128)
    new_password = StrictCharField(max_length=256, write_only=True, trim_whitespace=False)


class UserSearchInputSerializer(serializers.Serializer):
    search = StrictCharField(min_length=SEARCH_MIN_LENGTH, max_length=150)


class FriendRequestInputSerializer(serializers.Serializer):
    user = id_field()
