"""Calendar feed inputs and outputs."""

from django.urls import reverse
from rest_framework import serializers

from planpal.core.links import public_base
from planpal.core.serializers import id_field


class FeedInputSerializer(serializers.Serializer):
    plan = id_field(
        required=False, help_text="A plan you can see: its own feed. Without: all your plans."
    )


class FeedOutputSerializer(serializers.Serializer):
    """Built from (feed, token) with the request in the context (links use PUBLIC_URL)."""

    url = serializers.SerializerMethodField(help_text="https://… for calendar apps to subscribe.")
    webcal_url = serializers.SerializerMethodField(help_text="webcal://…: opens a calendar app.")
    plan = serializers.IntegerField(source="feed.plan_id", allow_null=True)
    rotated_at = serializers.DateTimeField(source="feed.rotated_at")

    def get_url(self, value) -> str:
        path = reverse("calendar-feed-ics", kwargs={"token": value["token"]})
        return public_base(self.context["request"]) + path

    def get_webcal_url(self, value) -> str:
        return "webcal://" + self.get_url(value).split("://", 1)[1]
