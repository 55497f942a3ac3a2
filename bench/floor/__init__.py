"""The REST floor peer: PlanPal's reads on a bare Django + DRF stack (see settings.py)."""
