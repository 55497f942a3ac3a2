"""The naive peer: the literal design of DESIGN.md §7's first sentence, as a minimal Channels app.

Each consumer joins a channels_redis group per topic (`group_add`), and the publisher calls
`group_send` once per event, so channels_redis copies every event into every subscriber's channel.
Everything else is PlanPal's own code (ticket auth, authorisers, event log replay), so the only
difference from PlanPal is the fan-out mechanism.
"""
