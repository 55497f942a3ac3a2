"""The floor's routes: the same paths as PlanPal's for the reads the bench measures."""

from django.urls import path

from bench.floor import views

urlpatterns = [
    path("api/v1/health/live", views.live),
    path("api/v1/me", views.MeApi.as_view()),
    path("api/v1/plans", views.PlanListApi.as_view()),
    path("api/v1/plans/<int:plan_id>", views.PlanDetailApi.as_view()),
]
