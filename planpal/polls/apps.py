from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "planpal.polls"
    label = "polls"

    def ready(self) -> None:
        from planpal.polls import notices
        from planpal.polls.summaries import SUMMARIES
        from planpal.realtime import summaries

        summaries.register(SUMMARIES)
        notices.register_all()
