"""Every task of the periodic schedule is registered with the worker under the name beat sends,
and a task that moved keeps answering to its old name (messages queued before a deploy)."""

from django.utils.module_loading import import_string

from config.celery_app import app, periodic_schedule


def test_every_scheduled_task_is_registered_under_its_path():
    app.loader.import_default_modules()
    for name, (path, _period) in periodic_schedule().items():
        assert import_string(path).name == path, name
        assert path in app.tasks, name


def test_housekeeping_queued_under_its_name_in_core_still_runs(db):
    app.loader.import_default_modules()
    done = app.tasks["planpal.core.tasks.housekeeping"].apply().get()
    assert set(done) >= {"events_pruned", "invites_deleted", "orphan_uploads_deleted"}
