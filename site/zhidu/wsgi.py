"""WSGI entry point (gunicorn zhidu.wsgi with site/ on the Python path)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidu.settings.production")

application = get_wsgi_application()
