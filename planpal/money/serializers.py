"""Input serializers (shape and types only; the services check the money rules) and output
serializers, whose data is `planpal.money.presenters`' (the events' shapes). The output fields
are declared for the OpenAPI schema."""

from decimal import Decimal, InvalidOperation

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.core.serializers import (
    MAX_VERSION,
    MomentField,
    StreamSerializer,
    StrictCharField,
    client_id_field,
    id_field,
    version_field,
)
from planpal.money import presenters, selectors
from planpal.money.entries import MAX_PARTICIPANTS
from planpal.money.models import Expense

MAX_NUMBER_TEXT = 40


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}]})
class NumberField(serializers.Field):
    """A decimal as a string ("12.50", preferred: exact) or a JSON number; never a boolean.
    The service decides how many decimals the currency allows."""

    default_error_messages = {"invalid": 'A decimal string is expected, e.g. "12.50".'}

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        text = str(data).strip()
        if not text or len(text) > MAX_NUMBER_TEXT:
            self.fail("invalid")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        return value

    def to_representation(self, value) -> str:
        return str(value)


def currency_field(**kwargs) -> StrictCharField:
    return StrictCharField(
        min_length=3, max_length=3, help_text="ISO 4217, e.g. VND, USD.", **kwargs
    )


class BudgetInputSerializer(serializers.Serializer):
    amount = NumberField(allow_null=True, help_text="null clears the budget.")
    currency = currency_field(required=False)
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        required=False,
        help_text="The version you last saw (0: none yet); 409 if stale.",
    )


class ParticipantInputSerializer(serializers.Serializer):
    user_id = id_field()
    value = NumberField(required=False, allow_null=True)


class SplitInputSerializer(serializers.Serializer):
    strategy = serializers.ChoiceField(choices=Expense.Strategy.choices)
    participants = serializers.ListField(
        child=ParticipantInputSerializer(), min_length=1, max_length=MAX_PARTICIPANTS
    )


class PayerInputSerializer(serializers.Serializer):
    user_id = id_field()
    amount = NumberField()


class ExpenseCreateInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    amount = NumberField()
    currency = currency_field(required=False)
    rate = NumberField(required=False, allow_null=True)
    paid_by = id_field(required=False, allow_null=True)
    payers = serializers.ListField(
        child=PayerInputSerializer(), required=False, min_length=1, max_length=MAX_PARTICIPANTS
    )
    split = SplitInputSerializer()
    category = serializers.ChoiceField(choices=Expense.Category.choices, required=False)
    spent_at = MomentField(required=False, allow_null=True)
    activity = id_field(required=False, allow_null=True)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)
    client_id = client_id_field()


class ExpenseUpdateInputSerializer(serializers.Serializer):
    title = StrictCharField(required=False, max_length=200)
    amount = NumberField(required=False)
    currency = currency_field(required=False)
    rate = NumberField(required=False, allow_null=True)
    paid_by = id_field(required=False, allow_null=True)
    payers = serializers.ListField(
        child=PayerInputSerializer(), required=False, min_length=1, max_length=MAX_PARTICIPANTS
    )
    split = SplitInputSerializer(required=False)
    category = serializers.ChoiceField(choices=Expense.Category.choices, required=False)
    spent_at = MomentField(required=False, allow_null=True)
    activity = id_field(required=False, allow_null=True)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)
    version = version_field()


class SettlementInputSerializer(serializers.Serializer):
    from_user = id_field()
    to_user = id_field()
    amount = NumberField()
    note = StrictCharField(required=False, allow_blank=True, max_length=500)
    client_id = client_id_field()


# ---------------------------------------------------------------------------- output


def _money(**kwargs) -> serializers.CharField:
    return serializers.CharField(read_only=True, **kwargs)


class BudgetSerializer(serializers.Serializer):
    """The budget row (or its absence): `plan.budget_updated`'s `budget`."""

    plan = serializers.IntegerField(read_only=True)
    amount = _money(allow_null=True)
    currency = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    updated_by = PublicUserSerializer(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class BudgetOutputSerializer(BudgetSerializer):
    """GET/PUT budget: the row plus spending (what VersionConflict shows: `budget_current`)."""

    spent = _money()
    remaining = _money(allow_null=True)
    by_category = serializers.DictField(child=serializers.CharField(), read_only=True)
    stream = StreamSerializer(read_only=True, required=False)

    def to_representation(self, instance) -> dict:
        if isinstance(instance, dict):
            return instance
        return selectors.budget_summary(
            plan_id=instance.plan_id, budget=instance if instance.pk else None
        )


class LineSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(read_only=True)
    amount = _money()
    plan_amount = _money()


class ParticipantSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(read_only=True)
    value = _money(allow_null=True)


class SplitSerializer(serializers.Serializer):
    strategy = serializers.CharField(read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)


class ExpenseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    plan = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    amount = _money()
    currency = serializers.CharField(read_only=True)
    rate = _money(allow_null=True)
    plan_amount = _money()
    plan_currency = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    spent_at = serializers.DateTimeField(read_only=True)
    activity = serializers.IntegerField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    paid_by = serializers.IntegerField(read_only=True, allow_null=True)
    payers = LineSerializer(many=True, read_only=True)
    split = SplitSerializer(read_only=True)
    shares = LineSerializer(many=True, read_only=True)
    created_by = PublicUserSerializer(read_only=True)
    client_id = serializers.CharField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance) -> dict:
        plan_currency = self.context.get("plan_currency")
        plan_currency = plan_currency or selectors.currency_of(plan_id=instance.plan_id)
        return presenters.expense_data(instance, plan_currency)


class ExpenseListOutputSerializer(serializers.Serializer):
    stream = StreamSerializer(read_only=True)
    results = ExpenseOutputSerializer(many=True, read_only=True)


class SettlementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    plan = serializers.IntegerField(read_only=True)
    from_user = serializers.IntegerField(read_only=True)
    to_user = serializers.IntegerField(read_only=True)
    amount = _money()
    currency = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    recorded_by = PublicUserSerializer(read_only=True)
    client_id = serializers.CharField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance) -> dict:
        return presenters.settlement_data(instance)


class SettlementListOutputSerializer(serializers.Serializer):
    stream = StreamSerializer(read_only=True)
    results = SettlementOutputSerializer(many=True, read_only=True)


class MemberBalanceSerializer(serializers.Serializer):
    user = PublicUserSerializer(read_only=True)
    paid = _money()
    owed = _money()
    sent = _money()
    received = _money()
    net = _money()


class TransferSerializer(serializers.Serializer):
    from_user = serializers.IntegerField(read_only=True)
    to_user = serializers.IntegerField(read_only=True)
    amount = _money()


class BalancesOutputSerializer(serializers.Serializer):
    plan = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    budget = _money(allow_null=True)
    spent = _money()
    by_category = serializers.DictField(child=serializers.CharField(), read_only=True)
    members = MemberBalanceSerializer(many=True, read_only=True)
    settle_up = TransferSerializer(many=True, read_only=True)
    stream = StreamSerializer(read_only=True)
