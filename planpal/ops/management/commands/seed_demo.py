"""Seed a small demo world through the real services: three friends, a group, a plan that starts
in a few minutes, activities and chat. With --if-empty it does nothing once users exist."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from planpal.accounts.services import friend_accept, friend_request, user_register
from planpal.chat.models import Conversation
from planpal.chat.services import message_send
from planpal.groups.services import group_create, member_add
from planpal.plans.services import activity_create, plan_create

PASSWORD = "sunny-dalat-trip"
PEOPLE = [
    ("alice", "Alice Nguyen"),
    ("bob", "Bob Tran"),
    ("carol", "Carol Le"),
]
ACTIVITIES = [
    # (title, kind, hours after start, duration hours, place, cost)
    ("Coffee at Dalat market", "food", 0.5, 1, "Dalat Market", "4.00"),
    ("Xuan Huong lake walk", "sightseeing", 2, 2, "Xuan Huong Lake", None),
    ("Crazy House", "sightseeing", 5, 1.5, "Hang Nga Guesthouse", "3.50"),
    ("Night market dinner", "food", 9, 2, "Dalat Night Market", "12.00"),
]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="skip when users exist")
        parser.add_argument("--port", type=int, default=8000, help="port shown in the banner")
        parser.add_argument(
            "--starts-in", type=int, default=3, help="minutes until the demo plan starts"
        )

    def handle(self, *args, if_empty=False, port=8000, starts_in=3, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("Demo data already present; log in as alice / bob / carol.")
            return
        alice, bob, carol = (
            user_register(
                username=name, email=f"{name}@example.com", password=PASSWORD, display_name=display
            )
            for name, display in PEOPLE
        )
        for friend in (bob, carol):
            friend_request(actor=alice, user_id=friend.pk)
            friend_accept(actor=friend, user_id=alice.pk)
        group = group_create(actor=alice, name="Dalat crew", description="Long weekend in Dalat")
        for friend in (bob, carol):
            member_add(actor=alice, group_id=group.pk, user_id=friend.pk)
        start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=starts_in)
        plan = plan_create(
            actor=alice,
            title="Dalat long weekend",
            group_id=group.pk,
            description="Coffee, lakes and the night market.",
            start_at=start,
            end_at=start + timedelta(days=2),
            timezone="Asia/Ho_Chi_Minh",
        )
        for title, kind, offset, hours, place, cost in ACTIVITIES:
            begins = start + timedelta(hours=offset)
            activity_create(
                actor=alice,
                plan_id=plan.pk,
                title=title,
                kind=kind,
                location_name=place,
                starts_at=begins,
                ends_at=begins + timedelta(hours=hours),
                estimated_cost=cost,
                currency="USD" if cost else "",
            )
        conversation = Conversation.objects.get(group=group)
        for sender, text in [
            (alice, "Plan is up! We start in a few minutes."),
            (bob, "Bringing my jacket, it gets cold at night."),
            (carol, "Coffee first, obviously."),
        ]:
            message_send(actor=sender, conversation=conversation, text=text)
        self._banner(port, plan.pk, start)

    def _banner(self, port: int, plan_id: int, start) -> None:
        self.stdout.write(self.style.SUCCESS("Seeded the PlanPal demo world."))
        self.stdout.write(f"  Users (password for all: {PASSWORD}): alice, bob, carol")
        self.stdout.write(f"  Plan {plan_id} starts at {start:%H:%M} UTC")
        self.stdout.write(f"  API docs: http://127.0.0.1:{port}/api/docs/")
