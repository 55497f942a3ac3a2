"""Checklist input serializers (shape and types only; rules live in the services) and the
output shape, which `selectors.checklist_data` builds from the same payload the events carry."""

from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.checklists.templates import TEMPLATES
from planpal.core.serializers import (
    MAX_ID,
    StreamSerializer,
    StrictCharField,
    client_id_field,
    id_field,
    version_field,
)
from planpal.plans.serializers import StrictInputSerializer


class ChecklistCreateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    personal = serializers.BooleanField(required=False, default=False)
    template = serializers.ChoiceField(choices=sorted(TEMPLATES), required=False, allow_null=True)
    client_id = client_id_field()


class ChecklistRenameInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=200)


class ItemCreateInputSerializer(StrictInputSerializer):
    text = StrictCharField(max_length=200)
    assignee = id_field(required=False, allow_null=True)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    client_id = client_id_field()


class ItemUpdateInputSerializer(StrictInputSerializer):
    text = StrictCharField(max_length=200, required=False)
    assignee = id_field(required=False, allow_null=True)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    version = version_field(required=False)


class ItemReorderInputSerializer(StrictInputSerializer):
    # Not ReorderInputSerializer: the plans app has one, and the schema names components by class.
    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=300
    )


class ItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    checklist = serializers.IntegerField()
    plan = serializers.IntegerField()
    text = serializers.CharField(read_only=True)
    position = serializers.IntegerField()
    assignee = PublicUserSerializer(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = PublicUserSerializer(allow_null=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ChecklistOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField()
    title = serializers.CharField(read_only=True)
    personal = serializers.BooleanField()
    owner = serializers.IntegerField(allow_null=True)
    created_by = PublicUserSerializer(allow_null=True)
    items = ItemOutputSerializer(many=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    stream = StreamSerializer(help_text="plan:<id>, or user:<owner> for a personal list.")


class ChecklistListOutputSerializer(serializers.Serializer):
    stream = StreamSerializer(help_text="The plan's topic (shared lists).")
    personal_stream = StreamSerializer(help_text="Your user topic (your personal lists).")
    results = ChecklistOutputSerializer(many=True)
