"""groups API routes."""

urlpatterns: list = []
