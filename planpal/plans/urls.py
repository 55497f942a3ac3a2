"""plans API routes (included under /api/v1/)."""

from django.urls import path

from planpal.plans import api

urlpatterns = [
    path("plans", api.PlanListCreateApi.as_view(), name="plan-list"),
    path("plans/<int:plan_id>", api.PlanDetailApi.as_view(), name="plan-detail"),
    path("plans/<int:plan_id>/start", api.PlanStartApi.as_view(), name="plan-start"),
    path("plans/<int:plan_id>/complete", api.PlanCompleteApi.as_view(), name="plan-complete"),
    path("plans/<int:plan_id>/cancel", api.PlanCancelApi.as_view(), name="plan-cancel"),
    path(
        "plans/<int:plan_id>/participants",
        api.PlanParticipantsApi.as_view(),
        name="plan-participants",
    ),
    path(
        "plans/<int:plan_id>/participants/<int:user_id>",
        api.PlanParticipantApi.as_view(),
        name="plan-participant",
    ),
    path("plans/<int:plan_id>/activities", api.PlanActivitiesApi.as_view(), name="plan-activities"),
    path("plans/<int:plan_id>/events", api.PlanEventsApi.as_view(), name="plan-events"),
    path(
        "plans/<int:plan_id>/activities/reorder",
        api.ActivityReorderApi.as_view(),
        name="plan-activities-reorder",
    ),
    path("activities/<int:activity_id>", api.ActivityDetailApi.as_view(), name="activity-detail"),
    path(
        "activities/<int:activity_id>/complete",
        api.ActivityCompleteApi.as_view(),
        name="activity-complete",
    ),
    path(
        "activities/<int:activity_id>/reopen",
        api.ActivityReopenApi.as_view(),
        name="activity-reopen",
    ),
]
