"""Account hooks: apps that keep something running on a user's authority register here, in
`AppConfig.ready()`: to stop it when the account is deactivated (webhooks; the hooks run in the
transaction that deactivates it), or when a device logs out (notifications forget its push
token). `accounts` imports none of the apps that listen."""

from collections.abc import Callable

Deactivated = Callable[..., None]  # (*, user_id: int) -> None
LoggedOut = Callable[..., None]  # (*, user: User, device_token: str) -> None

_deactivated: list[Deactivated] = []
_logged_out: list[LoggedOut] = []


def on_deactivated(hook: Deactivated) -> None:
    if hook not in _deactivated:
        _deactivated.append(hook)


def on_logged_out(hook: LoggedOut) -> None:
    if hook not in _logged_out:
        _logged_out.append(hook)


def run_deactivated(*, user_id: int) -> None:
    for hook in _deactivated:
        hook(user_id=user_id)


def run_logged_out(*, user, device_token: str) -> None:
    for hook in _logged_out:
        hook(user=user, device_token=device_token)
