"""Uploaded files: one row per upload, pointing at its objects in the upload store."""

from django.conf import settings
from django.db import models


class Upload(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image"
        FILE = "file"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=40)
    # The name the uploader's file had (cleaned), shown on file chips and used for downloads.
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Object names in the store (storage.STORAGE_ALIAS): random, never derived from user input.
    key = models.CharField(max_length=255, unique=True)
    thumbnail_key = models.CharField(max_length=255, blank=True)
    thumbnail_size = models.PositiveIntegerField(default=0)
    # "" until something takes it (a chat message: "chat.message"); the registered attachment
    # kind (planpal.files.attachments) then decides who may see it.
    attached_to = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["attached_to", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"upload {self.pk} ({self.content_type}, {self.size} bytes)"

    @property
    def stored_bytes(self) -> int:
        """What this upload counts against its owner's quota."""
        return self.size + self.thumbnail_size
