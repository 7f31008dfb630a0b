"""The load users (locust, run headless by ``python -m tests.load``; never imports Django).

Each user is one employee of the load company (tests/load/build.py) with a login of their
own: they sign in once, then, with 1–3 s of reading between pages, open 我的文件 (/my/), read
a regulation, search, and now and then sign one of their pending acknowledgements — open the
version from 待我签收 (which records that they opened it), tick the statement and re-enter the
password, as the form in templates/policies_content/acknowledgement_sign.html asks.

Request names group the figures: ``read …`` (the reads), ``sign: open`` (the version opened
from 待我签收, a read too), ``sign: submit`` (the signature POST), ``login``. Every request is
recorded with its time (``ZHIDU_LOAD_SAMPLES``, JSON lines written at the end) so the driver
computes percentiles over exactly the window in which all users were running.
"""

import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, between, events, task

with open(os.environ["ZHIDU_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
ACCOUNTS = itertools.cycle(PLAN["accounts"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAMPLES: list[tuple] = []
WINDOW: dict[str, float] = {}


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
    SAMPLES.append((time.time(), name, response_time, exception is not None, str(exception or "")))


@events.spawning_complete.add_listener
def _all_running(user_count, **kwargs):
    # the window opens once every user has started and signed in (ZHIDU_LOAD_SETTLE seconds)
    WINDOW["start"] = time.time() + float(os.environ.get("ZHIDU_LOAD_SETTLE", "0"))


@events.quitting.add_listener
def _dump(environment, **kwargs):
    WINDOW["end"] = time.time()
    with open(os.environ["ZHIDU_LOAD_SAMPLES"], "w", encoding="utf-8") as out:
        out.write(json.dumps({"window": WINDOW}) + "\n")
        for sample in SAMPLES:
            out.write(json.dumps(sample, ensure_ascii=False) + "\n")


class Employee(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        account = next(ACCOUNTS)
        self.pending = list(account["pending"])
        random.shuffle(self.pending)
        token = self._token("/accounts/login/", "login: form")
        with self.client.post(
            "/accounts/login/",
            data={"username": account["username"], "password": PLAN["password"], "next": ""},
            headers={"X-CSRFToken": token or ""},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused ({response.status_code})")

    def _token(self, url: str, name: str) -> str | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            found = CSRF.search(response.text or "")
            if response.status_code == 200 and not found:
                response.failure("no CSRF token on the page")
            return found.group(1) if found else None

    @task(4)
    def staff_home(self):
        with self.client.get("/my/", name="read /my/", catch_response=True) as response:
            if response.status_code == 200 and "/accounts/login/" in response.url:
                response.failure("not signed in")

    @task(3)
    def regulation(self):
        self.client.get(random.choice(PLAN["reading"]), name="read regulation")

    @task(2)
    def search(self):
        word = random.choice(PLAN["search"])
        with self.client.get(
            "/search/", params={"q": word}, name="read /search/", catch_response=True
        ) as response:
            if response.status_code == 200 and "search-hit" not in response.text:
                response.failure(f"nothing found for {word}")

    @task(1)
    def sign(self):
        if not self.pending:
            return
        assignment = self.pending.pop()
        url = f"/sign/{assignment}/"
        token = self._token(url, "sign: open")
        if token is None:
            return
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": token, "confirm": "yes", "password": PLAN["password"]},
            name="sign: submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/receipt/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"not signed ({response.status_code})")
