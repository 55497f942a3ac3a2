"""Input serializers (shape and types only; rules live in the services) and output serializers
of plans and activities."""

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.core.events import topic_for
from planpal.core.serializers import (
    MomentField,
    StreamSerializer,
    StrictCharField,
    client_id_field,
    id_field,
    stream_from,
    version_field,
)
from planpal.plans.models import Activity, Plan
from planpal.plans.selectors import activities_of, can_manage_plan

MAX_ORDER_LENGTH = 500


# ---------------------------------------------------------------------------- input


class StrictInputSerializer(serializers.Serializer):
    """Rejects fields it does not declare: a client that sends `status` in a PATCH learns that it
    is not writable here instead of getting a 200 that ignored it."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class CoordinateField(serializers.DecimalField):
    """GPS fixes often carry more decimals than the six stored (~0.1 m): round, don't refuse."""

    def validate_precision(self, value: Decimal) -> Decimal:
        if self.max_digits is None or self.decimal_places is None:
            return super().validate_precision(value)
        whole_digits = self.max_digits - self.decimal_places
        if value and value.adjusted() >= whole_digits:
            self.fail("max_whole_digits", max_whole_digits=whole_digits)
        value = value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_EVEN)
        return super().validate_precision(value)


class PlanFilterSerializer(serializers.Serializer):
    """Query parameters of the plan list (others, such as limit/offset, are left alone)."""

    status = serializers.ChoiceField(choices=Plan.Status.choices, required=False)
    group = id_field(required=False)


class PlanCreateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=5000, allow_blank=True, required=False)
    group = id_field(required=False, allow_null=True, help_text="Omit or null: a personal plan.")
    start_at = MomentField()
    end_at = MomentField()
    timezone = StrictCharField(
        max_length=64, required=False, help_text="IANA name; defaults to your own time zone."
    )


class PlanUpdateInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=200, required=False)
    description = StrictCharField(max_length=5000, allow_blank=True, required=False)
    start_at = MomentField(required=False)
    end_at = MomentField(required=False)
    timezone = StrictCharField(max_length=64, required=False)
    version = version_field()


class ActivityInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=200)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices, required=False)
    starts_at = MomentField()
    ends_at = MomentField()
    location_name = StrictCharField(max_length=200, allow_blank=True, required=False)
    location_address = StrictCharField(max_length=500, allow_blank=True, required=False)
    lat = CoordinateField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, allow_null=True, required=False
    )
    lng = CoordinateField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        allow_null=True,
        required=False,
    )
    estimated_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    currency = StrictCharField(
        max_length=3, allow_blank=True, required=False, help_text="ISO 4217, e.g. EUR."
    )
    notes = StrictCharField(max_length=5000, allow_blank=True, required=False)

    def validate_currency(self, value: str) -> str:
        value = value.upper()
        if value and not (len(value) == 3 and value.isascii() and value.isalpha()):
            raise serializers.ValidationError(_("Use a three-letter ISO 4217 code such as EUR."))
        return value


class ActivityCreateInputSerializer(ActivityInputSerializer):
    client_id = client_id_field()


class ActivityUpdateInputSerializer(ActivityInputSerializer):
    title = StrictCharField(max_length=200, required=False)
    starts_at = MomentField(required=False)
    ends_at = MomentField(required=False)
    version = version_field()


class ReorderInputSerializer(StrictInputSerializer):
    order = serializers.ListField(
        child=id_field(), max_length=MAX_ORDER_LENGTH, help_text="Every activity id, in order."
    )


class ParticipantInputSerializer(StrictInputSerializer):
    user = id_field(help_text="A friend of yours.")


# ---------------------------------------------------------------------------- output


class ActivityOutputSerializer(serializers.ModelSerializer):
    completed_by = PublicUserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "location_name",
            "location_address",
            "lat",
            "lng",
            "estimated_cost",
            "currency",
            "notes",
            "position",
            "completed_at",
            "completed_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActivityListOutputSerializer(serializers.Serializer):
    stream = StreamSerializer(read_only=True)
    results = ActivityOutputSerializer(many=True, read_only=True)


class PlanSerializer(serializers.ModelSerializer):
    """The plan itself: what `plan.created` and `plan.updated` events carry."""

    creator = PublicUserSerializer(read_only=True)
    participants = serializers.SerializerMethodField(
        help_text="Personal plans: who takes part besides the creator. Group plans: empty (see "
        "the group's members)."
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "description",
            "group",
            "creator",
            "participants",
            "start_at",
            "end_at",
            "timezone",
            "status",
            "status_changed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PublicUserSerializer(many=True))
    def get_participants(self, plan: Plan) -> list[dict]:
        if plan.group_id is not None:
            return []
        users = sorted(plan.participants.all(), key=lambda user: user.pk)
        return list(PublicUserSerializer(users, many=True).data)


class PlanOutputSerializer(PlanSerializer):
    """A plan as one viewer sees it. Context: `request`, `streams` ({topic: stream}, read before
    the plans were loaded) and optionally `manager_group_ids` (for lists)."""

    can_manage = serializers.SerializerMethodField()
    activity_count = serializers.SerializerMethodField()
    stream = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "can_manage", "activity_count", "stream"]
        read_only_fields = fields

    def get_can_manage(self, plan: Plan) -> bool:
        user = self.context["request"].user
        manager_groups = self.context.get("manager_group_ids")
        if manager_groups is None:
            return can_manage_plan(user, plan)
        return plan.creator_id == user.pk or plan.group_id in manager_groups

    def get_activity_count(self, plan: Plan) -> int:
        count = getattr(plan, "activity_count", None)
        return count if count is not None else plan.activities.count()

    @extend_schema_field(StreamSerializer)
    def get_stream(self, plan: Plan) -> dict:
        return stream_from(self.context, topic_for("plan", plan.pk))


class PlanDetailOutputSerializer(PlanOutputSerializer):
    activities = serializers.SerializerMethodField()

    class Meta(PlanOutputSerializer.Meta):
        fields = [*PlanOutputSerializer.Meta.fields, "activities"]
        read_only_fields = fields

    @extend_schema_field(ActivityOutputSerializer(many=True))
    def get_activities(self, plan: Plan) -> list[dict]:
        return list(ActivityOutputSerializer(activities_of(plan=plan), many=True).data)
