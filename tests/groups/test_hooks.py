"""Membership hooks: apps whose objects belong to a group register for joins, departures and
deletions; groups emits nothing of theirs and imports none of them."""

import ast
from pathlib import Path

import pytest
from django.db import connection

import planpal.groups
from planpal.groups import hooks, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Hooks for every membership change that record what they were told, removed after."""
    calls: list[tuple[str, dict, bool]] = []

    def recorder(what):
        def hook(**kwargs):
            calls.append((what, kwargs, connection.in_atomic_block))

        return hook

    added, removed, deleted = recorder("added"), recorder("removed"), recorder("deleted")
    hooks.on_member_added(added)
    hooks.on_member_removed(removed)
    hooks.on_group_deleted(deleted)
    yield calls
    hooks._hooks["member_added"].remove(added)
    hooks._hooks["member_removed"].remove(removed)
    hooks._hooks["group_deleted"].remove(deleted)


def test_hooks_hear_joins_departures_and_deletion_inside_the_write(heard, trip, alice, dave):
    heard.clear()
    services.member_add(actor=alice, group_id=trip.pk, user_id=dave.pk)
    services.member_remove(actor=alice, group_id=trip.pk, user_id=dave.pk)
    services.group_delete(actor=alice, group_id=trip.pk)
    assert heard == [
        ("added", {"group_id": trip.pk, "user": dave, "actor": alice}, True),
        ("removed", {"group_id": trip.pk, "user_id": dave.pk, "actor": alice}, True),
        ("deleted", {"group_id": trip.pk, "actor": alice}, True),
    ]


def test_groups_imports_none_of_the_apps_that_hook_into_it():
    above = ("planpal.plans", "planpal.notifications", "planpal.webhooks")
    imported = set()
    for path in Path(planpal.groups.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if name.startswith(above)}
