"""WSGI entry point: ``gunicorn ramunet.edc.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
application = get_wsgi_application()
