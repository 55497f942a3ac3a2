from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "planpal.money"
    label = "money"

    def ready(self) -> None:
        from planpal.money import notices
        from planpal.money.summaries import SUMMARIES
        from planpal.realtime import summaries

        summaries.register(SUMMARIES)
        notices.register_all()
