"""PlanPal's read views without PlanPal's stack: the same selectors and serializers (hence the
same queries) as planpal.accounts.api.MeApi and planpal.plans.api, minus the API cache."""

from django.http import JsonResponse
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.accounts.serializers import MeSerializer
from planpal.core.events import topic_for
from planpal.core.pagination import PlanPagination
from planpal.plans import selectors
from planpal.plans.serializers import PlanDetailOutputSerializer, PlanOutputSerializer
from planpal.realtime.selectors import stream_position, stream_positions


def live(request):
    return JsonResponse({"status": "ok"})


class MeApi(APIView):
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class PlanListApi(APIView):
    def get(self, request):
        plans = selectors.plans_for_user(user=request.user)
        paginator = PlanPagination()
        rows = paginator.paginate_queryset(plans.values("id", "start_at"), request, view=self)
        ids = [row["id"] for row in rows]
        streams = stream_positions([topic_for("plan", pk) for pk in ids])
        managed = selectors.manager_group_ids(user=request.user)
        context = {"request": request, "streams": streams, "manager_group_ids": managed}
        rows = PlanOutputSerializer(list(plans.in_bulk(ids).values()), many=True, context=context)
        return paginator.get_paginated_response(rows.data)


class PlanDetailApi(APIView):
    def get(self, request, plan_id: int):
        stream = stream_position(topic_for("plan", plan_id))
        plan = selectors.plan_for_member(user=request.user, plan_id=plan_id)
        context = {"request": request, "streams": {stream["topic"]: stream}}
        data = PlanDetailOutputSerializer(plan, context=context).data
        return Response({**data, "can_manage": selectors.can_manage_plan(request.user, plan)})
