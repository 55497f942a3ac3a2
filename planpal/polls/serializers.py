"""Poll input serializers (shape and types only; rules live in the services) and the output
shape. The output is built once by `selectors.poll_for_viewer` from the same payload the events
carry; the serializer below declares that shape for the OpenAPI schema."""

from datetime import date

from django.utils.translation import gettext as _
from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.core.serializers import (
    MomentField,
    StreamSerializer,
    StrictCharField,
    client_id_field,
    id_field,
)
from planpal.plans.serializers import CoordinateField, StrictInputSerializer
from planpal.polls.models import DayMark, Option, Poll
from planpal.polls.selectors import poll_for_viewer
from planpal.polls.services import MAX_DATE_POLL_DAYS, MAX_OPTIONS

# ---------------------------------------------------------------------------- input


class OptionInputSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=Option.Kind.choices, default=Option.Kind.TEXT)
    # The JSON key is "label"; DRF's metaclass moves declared fields out of the class, so the
    # field does not hide Field.label, but the stubs cannot know.
    label = StrictCharField(  # type: ignore[assignment]
        max_length=200, required=False, allow_blank=True, default=""
    )
    first_day = serializers.DateField(required=False, allow_null=True)
    last_day = serializers.DateField(required=False, allow_null=True)
    lat = CoordinateField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    lng = CoordinateField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )


class PollCreateInputSerializer(StrictInputSerializer):
    question = StrictCharField(max_length=200)
    kind = serializers.ChoiceField(choices=Poll.Kind.choices, default=Poll.Kind.CHOICE)
    # many=True builds a ListSerializer, which takes max_length; the stubs type the child's init.
    options = OptionInputSerializer(  # type: ignore[call-arg]
        many=True, required=False, max_length=MAX_OPTIONS
    )
    multiple = serializers.BooleanField(required=False, default=False)
    anonymous = serializers.BooleanField(required=False, default=False)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)
    first_day = serializers.DateField(required=False, allow_null=True)
    last_day = serializers.DateField(required=False, allow_null=True)
    length_days = serializers.IntegerField(
        required=False, default=1, min_value=1, max_value=MAX_DATE_POLL_DAYS
    )
    client_id = client_id_field()


class DaysField(serializers.DictField):
    """{"2026-07-01": "yes", ...}: ISO dates to yes / maybe / no."""

    child = serializers.ChoiceField(choices=DayMark.Answer.choices)

    def to_internal_value(self, data):
        marks = super().to_internal_value(data)
        if len(marks) > MAX_DATE_POLL_DAYS:
            raise serializers.ValidationError(
                _("At most %(max)s days.") % {"max": MAX_DATE_POLL_DAYS}
            )
        try:
            return {date.fromisoformat(day): answer for day, answer in marks.items()}
        except ValueError as exc:
            raise serializers.ValidationError(_("Keys are dates: YYYY-MM-DD.")) from exc


class VoteInputSerializer(StrictInputSerializer):
    options = serializers.ListField(
        child=id_field(), required=False, max_length=MAX_OPTIONS, help_text="Choice polls."
    )
    days = DaysField(required=False, help_text="Date polls: day → yes / maybe / no.")


class ApplyInputSerializer(StrictInputSerializer):
    to = serializers.ChoiceField(choices=["plan_dates", "activity"])
    option = id_field(required=False, allow_null=True, help_text="Needed only on a tie.")
    starts_at = MomentField(required=False, allow_null=True, help_text="to=activity only.")
    ends_at = MomentField(required=False, allow_null=True, help_text="to=activity only.")


# ---------------------------------------------------------------------------- output


class OptionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Option.Kind.choices)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment] # as above
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)


class OptionCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    votes = serializers.IntegerField()


class DayCountSerializer(serializers.Serializer):
    day = serializers.DateField()
    yes = serializers.IntegerField()
    maybe = serializers.IntegerField()
    no = serializers.IntegerField()


class RangeRankSerializer(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    available = serializers.IntegerField(help_text="Members who said yes or maybe to every day.")
    sure = serializers.IntegerField(help_text="Members who said yes to every day.")


class ResultsSerializer(serializers.Serializer):
    voter_count = serializers.IntegerField()
    options = OptionCountSerializer(many=True)
    days = DayCountSerializer(many=True)
    ranking = RangeRankSerializer(many=True, help_text="Date polls: the best ranges, best first.")


class MyVoteSerializer(serializers.Serializer):
    options = serializers.ListField(child=serializers.IntegerField())
    days = serializers.DictField(child=serializers.CharField())


class BallotSerializer(MyVoteSerializer):
    user = PublicUserSerializer()


class PollOutputSerializer(serializers.Serializer):
    """Give it a Poll and `context={"request": ...}`."""

    id = serializers.IntegerField()
    group = serializers.IntegerField(allow_null=True)
    plan = serializers.IntegerField(allow_null=True)
    creator = PublicUserSerializer()
    question = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Poll.Kind.choices)
    multiple = serializers.BooleanField()
    anonymous = serializers.BooleanField()
    closes_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = PublicUserSerializer(allow_null=True)
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)
    length_days = serializers.IntegerField()
    options = OptionOutputSerializer(many=True)
    results = ResultsSerializer()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    closed = serializers.BooleanField(help_text="Closed, or past its deadline.")
    can_close = serializers.BooleanField()
    my_vote = MyVoteSerializer()
    ballots = BallotSerializer(many=True, help_text="Named polls only: everyone's vote.")
    stream = StreamSerializer(required=False)

    def to_representation(self, instance):
        data = poll_for_viewer(instance, user=self.context["request"].user)
        if "stream" in self.context:
            data["stream"] = self.context["stream"]
        return data


class PollListOutputSerializer(serializers.Serializer):
    stream = StreamSerializer()
    results = PollOutputSerializer(many=True)


class VotesOutputSerializer(serializers.Serializer):
    """GET /polls/{id}/votes: everyone's ballot in a named poll; only your own in an anonymous
    one."""

    anonymous = serializers.BooleanField()
    results = BallotSerializer(many=True)
