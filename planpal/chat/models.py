"""Conversations (one per group, plus direct ones between two friends), messages, read state."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Conversation(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group"
        DIRECT = "direct"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    group = models.OneToOneField(
        "groups.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="conversation"
    )
    # Direct conversations: the two users, canonical order (user_low.id < user_high.id).
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="direct_unique_pair"),
            models.CheckConstraint(
                condition=(
                    Q(kind="group", group__isnull=False, user_low__isnull=True)
                    | Q(kind="direct", group__isnull=True, user_low__lt=F("user_high"))
                ),
                name="conversation_kind_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} conversation {self.pk}"

    @property
    def group_pk(self) -> int:
        """A group conversation's group (conversation_kind_shape: never NULL for that kind)."""
        if self.group_id is None:
            raise ValueError(f"{self} belongs to no group")
        return self.group_id

    @property
    def direct_pair(self) -> tuple[int, int]:
        """A direct conversation's two users, lower id first (conversation_kind_shape)."""
        if self.user_low_id is None or self.user_high_id is None:
            raise ValueError(f"{self} is not between two users")
        return self.user_low_id, self.user_high_id


class Message(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text"
        LOCATION = "location"
        IMAGE = "image"
        FILE = "file"
        SYSTEM = "system"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(max_length=4000, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # A location's place ("Time Out Market"); `text` stays the sender's caption.
    location_name = models.CharField(max_length=200, blank=True, default="")
    # The upload an image or file message shows; one message per upload. Deleting the message
    # deletes it (chat.services.message_delete); SET_NULL covers the uploader's account going.
    attachment = models.OneToOneField(
        "files.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # NULL, not "": the unique constraint below must ignore messages sent without a client_id.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every edit and the deletion: a write decided on an older one is refused (409).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            # Idempotent send: a retried POST with the same client_id finds the first message.
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"], name="message_idempotent_send"
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"

    PREVIEW_CHARS = 140

    @property
    def preview(self) -> str:
        """A line that stands for the message in a quote: its text, else the place's or the
        file's name; nothing once deleted."""
        if self.deleted_at is not None:
            return ""
        text = self.text or self.location_name
        if not text and self.attachment is not None:
            text = self.attachment.name
        return text[: self.PREVIEW_CHARS]


class ReadState(models.Model):
    """How far a user has read a conversation: everything up to `last_read_message_id`."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_states"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="read_state_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.conversation_id} to {self.last_read_message_id}"
