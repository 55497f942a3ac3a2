"""chat API routes."""

urlpatterns: list = []
