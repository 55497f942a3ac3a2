"""The floor's ASGI app: Django's stock handler (a thread per request)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")
application = get_asgi_application()
