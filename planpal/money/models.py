"""A plan's ledger: its budget, expenses (who paid, who shares), and payments between members.

Amounts are stored with two decimals whatever the currency; the services only ever write
amounts already exact in their currency (planpal.money.currency), so a VND amount is always
`….00`. `plan_amount`s are in the plan's currency (the budget's), converted once."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from planpal.money.currency import DEFAULT_CURRENCY


def _amount(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class Budget(models.Model):
    """One per plan at most; without a row the plan's currency is DEFAULT_CURRENCY, no amount."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="+")
    amount = _amount(null=True, blank=True)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class Expense(models.Model):
    class Category(models.TextChoices):
        FOOD = "food"
        TRANSPORT = "transport"
        LODGING = "lodging"
        ACTIVITIES = "activities"
        SHOPPING = "shopping"
        OTHER = "other"

    class Strategy(models.TextChoices):
        EQUAL = "equal"
        SHARES = "shares"
        PERCENT = "percent"
        EXACT = "exact"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    amount = _amount()
    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8, null=True, blank=True)
    plan_amount = _amount()
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.OTHER)
    strategy = models.CharField(max_length=8, choices=Strategy.choices)
    spent_at = models.DateTimeField()
    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # NULL, not "": the unique constraint ignores creates without a key.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["plan", "spent_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "created_by", "client_id"], name="expense_client_id_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class ExpenseShare(models.Model):
    """What one participant owes of an expense; `value` is what the split gave for them (the
    share count, percent or exact amount; NULL for equal)."""

    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="shares")
    # The expense's plan again: balances sum one plan's rows from the covering index below,
    # without joining the expenses (docs/money.md §4; bench.money).
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = _amount(null=True, blank=True)
    amount = _amount()
    plan_amount = _amount()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expense", "user"], name="expense_share_once")
        ]
        indexes = [
            models.Index(fields=["plan", "user", "plan_amount"], name="money_share_plan_user_sum")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.amount}"


class ExpensePayer(models.Model):
    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="payers")
    # The expense's plan again: balances sum one plan's rows from the covering index below,
    # without joining the expenses (docs/money.md §4; bench.money).
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = _amount()
    plan_amount = _amount()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expense", "user"], name="expense_payer_once")
        ]
        indexes = [
            models.Index(fields=["plan", "user", "plan_amount"], name="money_payer_plan_user_sum")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.amount}"


class Settlement(models.Model):
    """`from_user` paid `to_user` `amount` in the plan's currency, outside PlanPal."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amount = _amount()
    currency = models.CharField(max_length=3)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "recorded_by", "client_id"], name="settlement_client_id_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_amount_positive"),
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="settlement_between_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id}: {self.amount} {self.currency}"
