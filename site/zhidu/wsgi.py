"""WSGI entry point (gunicorn zhidu.wsgi with site/ on the Python path)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidu.settings.production")

application = get_wsgi_application()

# Django, Wagtail and the models loaded at start-up are ~190,000 long-lived objects: a full
# garbage collection walking them costs 120–240 ms, enough to set a page's p95. Frozen here,
# collections only scan what requests allocate (tests/bench/bench_frontend.py, full_gc_ms).
gc.freeze()
