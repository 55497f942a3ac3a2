import unicodedata

from django.db import migrations

import planpal.accounts.models


def _normalize(username: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def normalize_existing_usernames(apps, schema_editor):
    """Store existing names in the normalised form new names get. A name whose normalised form
    another account already has (or takes first here) is kept as it was: it still signs in as
    typed (PlanPalUserManager.get_by_natural_key)."""
    User = apps.get_model("accounts", "User")
    names = list(User.objects.order_by("pk").values_list("pk", "username"))
    taken = {_normalize(name) for _, name in names if _normalize(name) == name}
    for pk, name in names:
        normalized = _normalize(name)
        if normalized != name and normalized not in taken:
            User.objects.filter(pk=pk).update(username=normalized)
            taken.add(normalized)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", planpal.accounts.models.PlanPalUserManager()),
            ],
        ),
        migrations.RunPython(normalize_existing_usernames, migrations.RunPython.noop),
    ]
