"""Mail sent on an account's behalf, off the request (its answer must not depend on whether the
address has an account, in content or in time)."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.i18n import language_of


def password_reset_link(user: User, base_url: str) -> str:
    """The web client's reset page. uid and token travel in the URL fragment, which browsers
    never send to a server (no access log, no Referer holds them)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{base_url}/#/reset-password/{uid}/{default_token_generator.make_token(user)}"


@shared_task
def password_reset_mail_send(*, user_id: int, base_url: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    with translation.override(language_of(user)):  # the reader's language, not the asker's
        subject, body = _reset_mail(user, base_url)
    send_mail(subject, body, None, [user.email])


def _reset_mail(user: User, base_url: str) -> tuple[str, str]:
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    body = _(
        "Hello %(name)s,\n\n"
        "someone (we hope you) asked to reset the password of your PlanPal account "
        "%(username)s. Open this link within %(minutes)d minutes to choose a new one:\n\n"
        "%(link)s\n\n"
        "It works once. Choosing a new password signs you out everywhere. If you did not ask, "
        "ignore this mail: your password stays as it is.\n"
    ) % {
        "name": user.public_name,
        "username": user.username,
        "minutes": minutes,
        "link": password_reset_link(user, base_url),
    }
    return _("Reset your PlanPal password"), body
