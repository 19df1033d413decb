"""WSGI entry point: ``ramunet serve`` (Granian) serves ``ramunet.edc.wsgi:application``.

Each worker loads the application and its URL configuration (with it every view, form and
serializer module) here, then freezes what it has loaded out of the garbage collector's
scans (``gc.freeze``): those objects live as long as the worker, and a full collection
walking them stalled every thread of the worker for about 70 ms, once every thousand or so
requests, which showed in the API's 95th-percentile latency.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports the URL configuration's modules now)
gc.freeze()
