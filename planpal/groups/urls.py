"""groups API routes."""

from django.urls import path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.groups import api

urlpatterns = [
    path("groups", api.GroupListView.as_view(), name="groups"),
    path("groups/<id:group_id>", api.GroupDetailView.as_view(), name="group-detail"),
    path("groups/<id:group_id>/members", api.MemberListView.as_view(), name="group-members"),
    path("groups/<id:group_id>/events", api.GroupEventsView.as_view(), name="group-events"),
    path(
        "groups/<id:group_id>/members/<id:user_id>",
        api.MemberDetailView.as_view(),
        name="group-member-detail",
    ),
    path("groups/<id:group_id>/invites", api.InviteListView.as_view(), name="group-invites"),
    path(
        "groups/<id:group_id>/invites/<str:key>",
        api.InviteDetailView.as_view(),
        name="group-invite-detail",
    ),
    path("invites/<str:token>/accept", api.InviteAcceptView.as_view(), name="invite-accept"),
]
