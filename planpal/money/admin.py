"""Admin: the ledger is read-only here (every change must emit its event; writes go through
planpal.money.services)."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.money.models import Budget, Expense, ExpensePayer, ExpenseShare, Settlement


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["id", "plan", "amount", "currency", "version", "updated_at"]
    raw_id_fields = ["plan", "updated_by"]


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = ["id", "plan", "title", "amount", "currency", "plan_amount", "category"]
    list_filter = ["category", "strategy"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "activity", "created_by"]


@admin.register(ExpenseShare)
class ExpenseShareAdmin(ReadOnlyAdmin):
    list_display = ["id", "expense", "user", "amount", "plan_amount"]
    raw_id_fields = ["expense", "user"]


@admin.register(ExpensePayer)
class ExpensePayerAdmin(ReadOnlyAdmin):
    list_display = ["id", "expense", "user", "amount", "plan_amount"]
    raw_id_fields = ["expense", "user"]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ["id", "plan", "from_user", "to_user", "amount", "currency", "created_at"]
    raw_id_fields = ["plan", "from_user", "to_user", "recorded_by"]
