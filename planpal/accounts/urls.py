"""accounts API routes."""

urlpatterns: list = []
