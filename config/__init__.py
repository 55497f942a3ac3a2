"""PlanPal project configuration. The Celery app loads with Django so `shared_task`s bind to it."""

from config.celery_app import app as celery_app

__all__ = ["celery_app"]
