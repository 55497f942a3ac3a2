"""Thin views of a plan's ledger (docs/money.md): parse, call a service or selector, answer."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.accounts.requests import AuthenticatedRequest
from planpal.core.api import VERSION_PARAMETERS, conflicts_show, expected_version, validated
from planpal.core.events import topic_for
from planpal.core.schema import CONFLICT, IDEMPOTENCY_KEY
from planpal.money import export, selectors, services
from planpal.money.serializers import (
    BalancesOutputSerializer,
    BudgetInputSerializer,
    BudgetOutputSerializer,
    ExpenseCreateInputSerializer,
    ExpenseListOutputSerializer,
    ExpenseOutputSerializer,
    ExpenseUpdateInputSerializer,
    SettlementInputSerializer,
    SettlementListOutputSerializer,
    SettlementOutputSerializer,
)
from planpal.realtime.selectors import StreamPosition, stream_position

TAGS = ["money"]
NO_CONTENT = {204: OpenApiResponse(description="Deleted")}


def _with_key(request: Request, data: dict) -> dict:
    data["client_id"] = data.get("client_id") or request.headers.get("Idempotency-Key")
    return data


def _stream(plan_id: int) -> StreamPosition:
    """Read before the snapshot: a client subscribing `since` this misses nothing."""
    return stream_position(topic_for("plan", plan_id))


def _budget(request: Request, plan_id: int) -> dict:
    stream = _stream(plan_id)
    selectors.ledger_plan(user=request.user, plan_id=plan_id)
    budget = selectors.budget_of(plan_id=plan_id)
    return {**selectors.budget_summary(plan_id=plan_id, budget=budget), "stream": stream}


def _expense(expense) -> dict:
    return ExpenseOutputSerializer(expense).data


class BudgetApi(APIView):
    @extend_schema(tags=TAGS, responses=BudgetOutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(_budget(request, plan_id))

    @extend_schema(
        tags=TAGS,
        summary="Set the plan's budget and currency",
        request=BudgetInputSerializer,
        responses={200: BudgetOutputSerializer, 409: CONFLICT},
    )
    def put(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = validated(BudgetInputSerializer, request.data)
        amount = data["amount"]
        with conflicts_show(BudgetOutputSerializer):
            services.budget_set(
                actor=request.user,
                plan_id=plan_id,
                amount=None if amount is None else str(amount),
                currency=data.get("currency"),
                version=data.get("version"),
            )
        return Response(_budget(request, plan_id))


class PlanExpensesApi(APIView):
    @extend_schema(tags=TAGS, responses=ExpenseListOutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        stream = _stream(plan_id)
        plan = selectors.ledger_plan(user=request.user, plan_id=plan_id)
        context = {"plan_currency": selectors.currency_of(plan_id=plan_id)}
        expenses = selectors.expenses_of(plan=plan)
        return Response(
            ExpenseListOutputSerializer(
                {"stream": stream, "results": expenses}, context=context
            ).data
        )

    @extend_schema(
        tags=TAGS,
        summary="Add an expense (idempotent by client_id)",
        parameters=[IDEMPOTENCY_KEY],
        request=ExpenseCreateInputSerializer,
        responses={201: ExpenseOutputSerializer, 200: ExpenseOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = _with_key(request, validated(ExpenseCreateInputSerializer, request.data))
        expense, created = services.expense_create(actor=request.user, plan_id=plan_id, **data)
        return Response(_expense(expense), status=201 if created else 200)


class ExpenseDetailApi(APIView):
    @extend_schema(tags=TAGS, responses=ExpenseOutputSerializer)
    def get(self, request: Request, expense_id: int) -> Response:
        return Response(
            _expense(selectors.expense_for_member(user=request.user, expense_id=expense_id))
        )

    @extend_schema(
        tags=TAGS,
        request=ExpenseUpdateInputSerializer,
        responses={200: ExpenseOutputSerializer, 409: CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, expense_id: int) -> Response:
        data = validated(ExpenseUpdateInputSerializer, request.data)
        with conflicts_show(ExpenseOutputSerializer):
            expense = services.expense_update(actor=request.user, expense_id=expense_id, **data)
        return Response(_expense(expense))

    @extend_schema(
        tags=TAGS, parameters=VERSION_PARAMETERS, responses={**NO_CONTENT, 409: CONFLICT}
    )
    def delete(self, request: AuthenticatedRequest, expense_id: int) -> Response:
        version = expected_version(request)
        with conflicts_show(ExpenseOutputSerializer):
            services.expense_delete(actor=request.user, expense_id=expense_id, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BalancesApi(APIView):
    @extend_schema(tags=TAGS, summary="Balances and settle-up", responses=BalancesOutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        stream = _stream(plan_id)
        plan = selectors.ledger_plan(user=request.user, plan_id=plan_id)
        return Response({**selectors.balances(plan=plan), "stream": stream})


class PlanSettlementsApi(APIView):
    @extend_schema(tags=TAGS, responses=SettlementListOutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        stream = _stream(plan_id)
        plan = selectors.ledger_plan(user=request.user, plan_id=plan_id)
        settlements = selectors.settlements_of(plan=plan)
        return Response(
            SettlementListOutputSerializer({"stream": stream, "results": settlements}).data
        )

    @extend_schema(
        tags=TAGS,
        summary="Record a payment between two members (idempotent by client_id)",
        parameters=[IDEMPOTENCY_KEY],
        request=SettlementInputSerializer,
        responses={201: SettlementOutputSerializer, 200: SettlementOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = _with_key(request, validated(SettlementInputSerializer, request.data))
        settlement, created = services.settlement_record(
            actor=request.user, plan_id=plan_id, **data
        )
        return Response(SettlementOutputSerializer(settlement).data, status=201 if created else 200)


class SettlementDetailApi(APIView):
    @extend_schema(
        tags=TAGS, parameters=VERSION_PARAMETERS, responses={**NO_CONTENT, 409: CONFLICT}
    )
    def delete(self, request: AuthenticatedRequest, settlement_id: int) -> Response:
        version = expected_version(request)
        with conflicts_show(SettlementOutputSerializer):
            services.settlement_delete(
                actor=request.user, settlement_id=settlement_id, version=version
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class FirstRenderer(BaseContentNegotiation):
    """Spreadsheet apps and browsers send all sorts of Accept headers; errors are the JSON
    error shape (a success is an HttpResponse that DRF does not render)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExpensesCsvApi(APIView):
    content_negotiation_class = FirstRenderer

    @extend_schema(
        tags=TAGS,
        summary="The plan's expenses as CSV (UTF-8 with BOM), one row per share",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV text.")},
    )
    def get(self, request: Request, plan_id: int) -> HttpResponse:
        plan = selectors.ledger_plan(user=request.user, plan_id=plan_id)
        response = HttpResponse(
            export.expenses_csv(plan=plan), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-expenses.csv"'
        return response
