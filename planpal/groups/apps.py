from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "planpal.groups"
    label = "groups"

    def ready(self) -> None:
        from planpal.groups.selectors import is_member
        from planpal.realtime.authorisers import register

        register("group", lambda user_id, group_id: is_member(user_id=user_id, group_id=group_id))
