"""The Celery app and the one schedule of periodic work (Celery beat in production, the
embedded scheduler without Redis)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# DjangoTask adds delay_on_commit / apply_async_on_commit: enqueue only once the data is there.
app = Celery("planpal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def periodic_schedule() -> dict[str, tuple[str, int]]:
    """name → (task, period in seconds). Periods are short on purpose: every task looks at what
    is due in the database, so running often costs one indexed query and bounds lateness."""
    from django.conf import settings

    return {
        "plan-lifecycle": (
            "planpal.plans.tasks.advance_plan_lifecycle",
            settings.LIFECYCLE_SWEEP_SECONDS,
        ),
        "reminders": ("planpal.plans.tasks.send_due_reminders", settings.REMINDER_SWEEP_SECONDS),
        "housekeeping": ("planpal.ops.tasks.housekeeping", 3600),
        "webhooks": ("planpal.webhooks.tasks.sweep_webhooks", settings.WEBHOOK_SWEEP_SECONDS),
        # Polls past their deadline: recorded closed and announced (poll_closed).
        "poll-deadlines": ("planpal.polls.tasks.close_due_polls", settings.LIFECYCLE_SWEEP_SECONDS),
        "checklist-reminders": (
            "planpal.checklists.tasks.send_checklist_reminders",
            settings.REMINDER_SWEEP_SECONDS,
        ),
        "push-rescue": ("planpal.notifications.tasks.rescue_lost_pushes", 60),
    }


@app.on_after_finalize.connect
def setup_beat_schedule(sender, **kwargs) -> None:
    sender.conf.beat_schedule = {
        name: {
            "task": task,
            "schedule": float(period),
            # A sweep that waited longer than its period is superseded by the next one.
            "options": {"expires": float(period)},
        }
        for name, (task, period) in periodic_schedule().items()
    }
