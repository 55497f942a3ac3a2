from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "planpal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from planpal.accounts.models import User
        from planpal.accounts.notices import register_all
        from planpal.accounts.selectors import accounts_may_connect, users_public_data
        from planpal.accounts.serializers import PublicUserSerializer
        from planpal.core import apicache
        from planpal.realtime import users
        from planpal.realtime.authorisers import register

        register_all()
        apicache.invalidate_users_on(User)
        # A user's own topic carries their notifications and cross-device sync.
        register("user", lambda pairs: [(user, own) for user, own in pairs if user == own])
        users.register(
            users.Accounts(
                may_connect=accounts_may_connect,
                public_data=users_public_data,
                public_serializer=PublicUserSerializer,
            )
        )
