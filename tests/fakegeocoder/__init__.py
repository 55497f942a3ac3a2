"""A fake Nominatim-compatible geocoder for place search tests (server.py) and its pytest
fixture `fake_geocoder` (plugin.py: `pytest_plugins = ["tests.fakegeocoder.plugin"]`)."""
