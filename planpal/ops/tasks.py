"""Housekeeping: the periodic clean-up of state that outlives its use."""

import logging

from celery import shared_task

from planpal.ops.housekeeping import housekeep

log = logging.getLogger(__name__)


def _housekeeping() -> dict[str, int]:
    done = housekeep()
    log.info("housekeeping: %s", done)
    return done


housekeeping = shared_task(name="planpal.ops.tasks.housekeeping")(_housekeeping)
# The task's name before it moved out of core: messages a beat sent under it before a deploy
# may still wait in the broker, and a worker must not refuse them as unregistered.
housekeeping_under_old_name = shared_task(name="planpal.core.tasks.housekeeping")(_housekeeping)
