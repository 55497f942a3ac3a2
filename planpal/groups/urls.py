"""groups API routes."""

from django.urls import path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.groups import api

urlpatterns = [
    path("groups", api.GroupListApi.as_view(), name="groups"),
    path("groups/<id:group_id>", api.GroupDetailApi.as_view(), name="group-detail"),
    path("groups/<id:group_id>/members", api.MemberListApi.as_view(), name="group-members"),
    path("groups/<id:group_id>/events", api.GroupEventsApi.as_view(), name="group-events"),
    path(
        "groups/<id:group_id>/members/<id:user_id>",
        api.MemberDetailApi.as_view(),
        name="group-member-detail",
    ),
    path("groups/<id:group_id>/invites", api.InviteListApi.as_view(), name="group-invites"),
    path(
        "groups/<id:group_id>/invites/<str:key>",
        api.InviteDetailApi.as_view(),
        name="group-invite-detail",
    ),
    path("invites/<str:token>/accept", api.InviteAcceptApi.as_view(), name="invite-accept"),
]
