from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "planpal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from planpal.accounts.notices import register_all
        from planpal.realtime.authorisers import register

        register_all()
        # A user's own topic carries their notifications and cross-device sync.
        register("user", lambda user_id, topic_user_id: user_id == topic_user_id)
