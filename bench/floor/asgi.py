"""The floor's ASGI app: Django's handler on PlanPal's persistent request threads
(planpal.core.request_threads), so that each thread keeps its database connection from one
request to the next exactly as PlanPal's web process does. With Django's stock handler every
request got a thread, hence a database connection, of its own (2,007 new MariaDB connections for
2,000 requests): the floor then measured connection setup, not the stack."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")

from django.conf import settings

from planpal.core.request_threads import get_asgi_application

application = get_asgi_application(settings.WEB_REQUEST_THREADS)
