"""realtime API routes."""

urlpatterns: list = []
