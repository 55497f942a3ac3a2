"""Housekeeping: the periodic clean-up of state that outlives its use."""

import logging

from celery import shared_task

from planpal.core.housekeeping import housekeep

log = logging.getLogger(__name__)


@shared_task
def housekeeping() -> dict[str, int]:
    done = housekeep()
    log.info("housekeeping: %s", done)
    return done
