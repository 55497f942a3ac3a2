from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "planpal.checklists"
    label = "checklists"

    def ready(self) -> None:
        from planpal.checklists import notices
        from planpal.checklists.summaries import SUMMARIES
        from planpal.realtime import summaries

        summaries.register(SUMMARIES)
        notices.register_all()
