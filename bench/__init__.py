"""PlanPal's realtime benchmark: PlanPal side by side with a naive Channels design and a raw
websockets floor. See docs/benchmarks.md; run with `python -m bench run`."""
