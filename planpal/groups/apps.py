from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "planpal.groups"
    label = "groups"

    def ready(self) -> None:
        from planpal.core import apicache
        from planpal.groups.models import Group, Membership
        from planpal.groups.notices import register_all
        from planpal.groups.selectors import group_ids_of_users, memberships_among
        from planpal.groups.summaries import SUMMARIES
        from planpal.realtime import summaries
        from planpal.realtime.authorisers import register
        from planpal.realtime.presence import register_audience

        register("group", lambda pairs: memberships_among(pairs=pairs))
        # A user's online/offline changes are shown in the groups they belong to.
        register_audience(
            lambda user_ids: {
                user_id: [f"group:{pk}" for pk in group_ids]
                for user_id, group_ids in group_ids_of_users(user_ids=user_ids).items()
            }
        )
        summaries.register(SUMMARIES)
        register_all()
        apicache.invalidate_topic_on(Group, prefix="group", id_attribute="pk")
        apicache.invalidate_topic_on(Membership, prefix="group", id_attribute="group_id")
