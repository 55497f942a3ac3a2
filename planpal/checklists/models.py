"""Checklists of a plan: shared lists (packing, to-dos) every member works on, and each member's
own packing list, with items that are ticked, assigned and due."""

from django.conf import settings
from django.db import models


class Checklist(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    # Set for a member's personal list: only they see it, its events go to user:<owner>.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "created_by", "client_id"], name="checklist_idempotent_create"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["done_at", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "created_by", "client_id"], name="item_idempotent_create"
            ),
        ]

    def __str__(self) -> str:
        return self.text
