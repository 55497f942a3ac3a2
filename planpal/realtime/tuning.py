"""Process tuning for the gateway (measured in docs/benchmarks-history.md): worker threads for its
blocking calls, and a garbage-collection policy that keeps full collections from stalling every
connection of the process."""

import asyncio
import gc
import time
from concurrent.futures import ThreadPoolExecutor

# Worker threads for the gateway's blocking calls (event-log reads, authorisation queries):
# asyncio's default (CPUs + 4) made a reconnect storm wait in line for the database. Each
# thread may hold one database connection.
WORKER_THREADS = 16
# Freeze survivors this often; a full sweep at most this often, and never more often than keeps
# sweeping under GC_SWEEP_BUDGET of the process's time (see gc_policy).
GC_FREEZE_SECONDS = 1.0
GC_SWEEP_MIN_SECONDS = 60.0
GC_SWEEP_BUDGET = 0.005


def use_worker_threads(loop: asyncio.AbstractEventLoop) -> None:
    loop.set_default_executor(
        ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="realtime")
    )


async def gc_policy() -> None:
    """Keep the cyclic garbage collector from stalling every connection of the process.

    Each connection owns ~150 objects the collector tracks; a full collection walks all of
    them, and CPython runs one whenever the tracked objects grew by a quarter. At 10,000
    connections that was a 1-2 s pause every few seconds while connections came in, with
    every delivery waiting behind it (docs/benchmarks-history.md). So: every GC_FREEZE_SECONDS,
    collect the young generations (short-lived cycles die there) and move the survivors,
    mostly long-lived connection state, to the permanent generation that collections skip
    (`gc.freeze`); now and then, unfreeze and run one full collection to reclaim cycles
    among objects that died after being frozen — every request or connection still in
    flight at a freeze, so this garbage grows with traffic (the soak measured ~0.1 MB/s per
    process at 4 writes/s when the sweep ran every 30 min). The sweep is paced by its own
    cost: at least GC_SWEEP_MIN_SECONDS apart, and far enough apart that sweeping takes at
    most GC_SWEEP_BUDGET of the time (a 1.5 s sweep at 10,000 connections runs every
    5 min). Once most objects are frozen, the "grew by a quarter" rule would call a full
    collection every 70,000 allocations, so generation 2's own threshold goes up from 10 to
    1,000 young-generation collections."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, max(old, 1000))
    gc.freeze()  # startup state: modules, settings, URL patterns
    next_sweep = time.monotonic() + GC_SWEEP_MIN_SECONDS
    while True:
        await asyncio.sleep(GC_FREEZE_SECONDS)
        if time.monotonic() >= next_sweep:
            started = time.monotonic()
            gc.unfreeze()
            gc.collect()
            took = time.monotonic() - started
            next_sweep = started + max(GC_SWEEP_MIN_SECONDS, took / GC_SWEEP_BUDGET)
        else:
            gc.collect(1)
        gc.freeze()
