"""A fake FCM server for push tests (server.py), its pytest fixture `fake_fcm` (plugin.py: wire
it in with `pytest_plugins = ["tests.fakefcm.plugin"]`) and `python -m tests.fakefcm --port N`
for manual and end-to-end runs."""
