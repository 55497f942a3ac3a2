"""places API routes (included under /api/v1/)."""

from django.urls import path

from planpal.places import api

urlpatterns = [
    path("places/search", api.PlaceSearchApi.as_view(), name="places-search"),
]
