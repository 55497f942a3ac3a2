"""Account hooks: apps that keep something running on a user's authority (webhooks) register
here, in `AppConfig.ready()`, to stop it when the account is deactivated. The hooks run in the
transaction that deactivates it. `accounts` imports none of the apps that listen."""

from collections.abc import Callable

Deactivated = Callable[..., None]  # (*, user_id: int) -> None

_deactivated: list[Deactivated] = []


def on_deactivated(hook: Deactivated) -> None:
    if hook not in _deactivated:
        _deactivated.append(hook)


def run_deactivated(*, user_id: int) -> None:
    for hook in _deactivated:
        hook(user_id=user_id)
