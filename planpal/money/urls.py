"""money API routes (included under /api/v1/)."""

from django.urls import path

import planpal.core.urls  # noqa: F401  (registers the <id:...> converter)
from planpal.money import api

urlpatterns = [
    path("plans/<id:plan_id>/budget", api.BudgetApi.as_view(), name="plan-budget"),
    path("plans/<id:plan_id>/expenses", api.PlanExpensesApi.as_view(), name="plan-expenses"),
    path("plans/<id:plan_id>/expenses.csv", api.ExpensesCsvApi.as_view(), name="plan-expenses-csv"),
    path("expenses/<id:expense_id>", api.ExpenseDetailApi.as_view(), name="expense-detail"),
    path("plans/<id:plan_id>/balances", api.BalancesApi.as_view(), name="plan-balances"),
    path(
        "plans/<id:plan_id>/settlements", api.PlanSettlementsApi.as_view(), name="plan-settlements"
    ),
    path(
        "settlements/<id:settlement_id>",
        api.SettlementDetailApi.as_view(),
        name="settlement-detail",
    ),
]
