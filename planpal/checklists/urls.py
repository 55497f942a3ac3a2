"""checklists API routes (included under /api/v1/)."""

from django.urls import path

import planpal.core.urls  # noqa: F401  (registers the <id:...> converter)
from planpal.checklists import api

urlpatterns = [
    path("plans/<id:plan_id>/checklists", api.PlanChecklistsApi.as_view(), name="plan-checklists"),
    path("checklists/<id:checklist_id>", api.ChecklistDetailApi.as_view(), name="checklist-detail"),
    path(
        "checklists/<id:checklist_id>/items",
        api.ChecklistItemsApi.as_view(),
        name="checklist-items",
    ),
    path(
        "checklists/<id:checklist_id>/reorder",
        api.ChecklistReorderApi.as_view(),
        name="checklist-reorder",
    ),
    path("checklist-items/<id:item_id>", api.ChecklistItemApi.as_view(), name="checklist-item"),
    path(
        "checklist-items/<id:item_id>/tick", api.ItemTickApi.as_view(), name="checklist-item-tick"
    ),
    path(
        "checklist-items/<id:item_id>/untick",
        api.ItemUntickApi.as_view(),
        name="checklist-item-untick",
    ),
]
