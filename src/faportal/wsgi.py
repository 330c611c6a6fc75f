"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faportal.settings")
application = get_wsgi_application()
# What is loaded by now (code, settings, templates, translations) lives as long as the process: frozen, the garbage
# collector's full collections no longer walk it on every few requests, only the requests' own objects (ADR 0014).
gc.freeze()
