"""ASGI entry point."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidu.settings.production")

application = get_asgi_application()

# Django, Wagtail and the models loaded at start-up are ~190,000 long-lived objects: a full
# garbage collection walking them costs 120–240 ms, enough to set a page's p95. Frozen here,
# collections only scan what requests allocate (tests/bench/bench_frontend.py, full_gc_ms).
gc.freeze()
