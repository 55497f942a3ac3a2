"""Shares and payments carry their expense's plan, so balances sum a plan's rows from a covering
index without joining the expenses (bench.money: the join cost most of the 1,000-expense read)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_plans(apps, schema_editor):
    Expense = apps.get_model("money", "Expense")
    for name in ("ExpenseShare", "ExpensePayer"):
        model = apps.get_model("money", name)
        plan = Expense.objects.filter(pk=OuterRef("expense_id")).values("plan_id")[:1]
        model.objects.update(plan_id=Subquery(plan))


def plan_field(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="plans.plan",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("money", "0001_initial"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.AddField("expenseshare", "plan", plan_field(null=True)),
        migrations.AddField("expensepayer", "plan", plan_field(null=True)),
        migrations.RunPython(fill_plans, migrations.RunPython.noop),
        migrations.AlterField("expenseshare", "plan", plan_field(null=False)),
        migrations.AlterField("expensepayer", "plan", plan_field(null=False)),
        migrations.AddIndex(
            "expenseshare",
            models.Index(fields=["plan", "user", "plan_amount"], name="money_share_plan_user_sum"),
        ),
        migrations.AddIndex(
            "expensepayer",
            models.Index(fields=["plan", "user", "plan_amount"], name="money_payer_plan_user_sum"),
        ),
    ]
