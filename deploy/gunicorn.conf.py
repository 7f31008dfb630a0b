"""gunicorn settings for a Zhidu app server (deploy/compose.yaml, deploy/systemd/zhidu-web.service).

    gunicorn -c deploy/gunicorn.conf.py zhidu.wsgi:application

Run from the checkout (the folder holding manage.py). Several processes with a few threads
each: pages are short (tens of ms), generated PDFs take 0.3–2 s of CPU, so a process per core
plus one keeps the CPUs busy while threads cover waiting on the database. Tune with
WEB_CONCURRENCY (processes) and GUNICORN_THREADS; see docs/deployment.md for sizing.
"""

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent

chdir = str(CHECKOUT)
pythonpath = str(CHECKOUT / "site")  # the project package is zhidu/ inside site/
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# The longest requests: a 50-page printable regulation (~2 s), a regulation import of many
# Word files, an XLSX export of every acknowledgement. Batches run in db_worker instead.
timeout = 120
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests (with jitter, so not all at once).
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The proxy in front sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
# gunicorn 24+ opens a control socket under $HOME; nothing here uses it, and several servers on
# one machine (or a read-only home under systemd) would trip over it. Older versions ignore this.
control_socket_disable = True
