"""polls API routes (included under /api/v1/)."""

from django.urls import path

import planpal.core.urls  # noqa: F401  (registers the <id:...> converter)
from planpal.polls import api

urlpatterns = [
    path("groups/<id:group_id>/polls", api.GroupPollsApi.as_view(), name="group-polls"),
    path("plans/<id:plan_id>/polls", api.PlanPollsApi.as_view(), name="plan-polls"),
    path("polls/<id:poll_id>", api.PollDetailApi.as_view(), name="poll-detail"),
    path("polls/<id:poll_id>/votes", api.PollVotesApi.as_view(), name="poll-votes"),
    path("polls/<id:poll_id>/close", api.PollCloseApi.as_view(), name="poll-close"),
    path("polls/<id:poll_id>/apply", api.PollApplyApi.as_view(), name="poll-apply"),
]
