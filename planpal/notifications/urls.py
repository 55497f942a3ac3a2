"""notifications API routes."""

urlpatterns: list = []
