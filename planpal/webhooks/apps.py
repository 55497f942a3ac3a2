from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "planpal.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from planpal.accounts import hooks as account_hooks
        from planpal.groups import hooks as group_hooks
        from planpal.realtime import fanout
        from planpal.webhooks import disabling
        from planpal.webhooks.outbox import LISTENER

        fanout.register(LISTENER)
        # An endpoint sends on its creator's authority: it stops when that authority ends.
        group_hooks.on_member_removed(disabling.member_removed)
        group_hooks.on_member_role_changed(disabling.member_role_changed)
        account_hooks.on_deactivated(disabling.account_deactivated)
