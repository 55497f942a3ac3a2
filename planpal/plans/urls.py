"""plans API routes."""

urlpatterns: list = []
