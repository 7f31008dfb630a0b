"""Load test: ``python -m tests.load`` (``make load``).

1. Creates a throw-away PostgreSQL database on ``ZHIDU_LOAD_POSTGRES_URL`` (default
   postgres://postgres@127.0.0.1:5432) and a throw-away var/ folder (secret and audit keys,
   the embedded search index, static files).
2. Migrates it and builds the load company (tests/load/build.py: the demo scaled up to 2,000
   more staff with logins, 8 all-staff regulations of 50–100 articles, ~17,000 pending
   acknowledgements, the search index), then collects the static files (the production
   profile's manifest storage needs them).
3. Serves the app with gunicorn (site/zhidu/wsgi.py) as production does
   (deploy/gunicorn.conf.py) in the load profile (zhidu.settings.load: the production profile
   over plain HTTP on 127.0.0.1), with ``ZHIDU_LOAD_WORKERS`` processes of
   ``ZHIDU_LOAD_THREADS`` threads (gthread; default 3 × 4 for 2 cores, what the server's own
   settings choose here) and persistent database connections (DATABASE_CONN_MAX_AGE=60).
4. Runs locust headless (tests/load/locustfile.py): ``ZHIDU_LOAD_USERS`` users (50), started
   5 a second (each signs in: an Argon2 check, zhidu/passwords.py), then all running for
   ``ZHIDU_LOAD_SECONDS`` (60) more after 5 s to settle, each with 1–3 s between pages, mixing
   我的文件, a regulation's reading page, search and signing.
5. Stops gunicorn, drops the database, prints a table and writes var/bench/load.json.

Reads (我的文件, reading pages, search, the version opened to sign) and signing (the POST that
checks the password and writes the signature) are reported apart: requests/s, p50/p95/p99 and
errors over the window in which every user was running. Targets: reads p95 ≤ 300 ms, no
errors. Exit status 1 when a target is missed. The table's last line says who used the CPUs
meanwhile (the server, PostgreSQL, the load tool, other work): on a shared machine other work
slows the server, and runs are only comparable when ``cpu_other_pct`` is low.
"""

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from tests.bench.postgres import admin_connection

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("ZHIDU_LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
USERS = int(os.environ.get("ZHIDU_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("ZHIDU_LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("ZHIDU_LOAD_WORKERS", "3"))
THREADS = int(os.environ.get("ZHIDU_LOAD_THREADS", "4"))
SPAWN_RATE = 5  # users started per second (each signs in: an Argon2 check)
SETTLE = 5  # seconds after the last user started before the measured window opens
TARGETS = {"reads_p95_ms": 300, "errors": 0}
BIN = Path(sys.executable).parent


def _say(message: str) -> None:
    print(f"  [load] {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database_url: str, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="zhidu.settings.load",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",
        ZHIDU_VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="127.0.0.1",
        SEARCH_BACKEND="embedded",
        TASKS_BACKEND="database",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    )
    env.pop("ELASTICSEARCH_URL", None)
    return env


def _build(env: dict, plan_path: Path) -> dict:
    """Migrate, build the company and collect the static files, in a subprocess with the
    load profile's environment (so its keys and index are the server's)."""
    script = (
        "import django, json, sys, time\n"
        "from django.core.management import call_command\n"
        "django.setup()\n"
        "started = time.perf_counter()\n"
        "call_command('migrate', verbosity=0)\n"
        "print(f'  [load] migrated in {time.perf_counter() - started:.1f} s', file=sys.stderr)\n"
        "from tests.load.build import company_build\n"
        "plan = company_build()\n"
        "call_command('collectstatic', '--no-input', verbosity=0)\n"
        f"open({str(plan_path)!r}, 'w', encoding='utf-8').write(json.dumps(plan))\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    return json.loads(plan_path.read_text(encoding="utf-8"))


def _serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    # The production server's own settings (deploy/gunicorn.conf.py), on loopback, with the
    # load's process and thread counts; its log and access log go to gunicorn.log.
    command = [
        str(BIN / "gunicorn"),
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--log-level",
        "warning",
        "zhidu.wsgi:application",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up: see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer within 60 s: see {log}")


def _cpu_ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


class CpuShare:
    """Who used the machine's CPUs during the run: the server (gunicorn and its workers), our
    PostgreSQL backends, the load tool, and everything else (other work on a shared machine
    slows the server down: the figures are only comparable between quiet runs)."""

    def __init__(self, server: subprocess.Popen):
        self.server = server.pid
        self.workers = _children(server.pid)
        self.start_server = sum(_cpu_ticks(p) for p in [self.server, *self.workers])
        self.start_machine = _machine_ticks()

    def finish(self, admin, database: str, locust_ticks: int) -> dict:
        busy = _machine_ticks()[0] - self.start_machine[0]
        total = _machine_ticks()[1] - self.start_machine[1]
        server = sum(_cpu_ticks(p) for p in [self.server, *self.workers]) - self.start_server
        backends = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
        ).fetchall()
        postgres = sum(_cpu_ticks(pid) for (pid,) in backends)
        share = {
            "server": server,
            "postgres": postgres,
            "load tool": locust_ticks,
        }
        share["other"] = max(0, busy - sum(share.values()))
        share["idle"] = max(0, total - busy)
        return {name: round(100 * ticks / total, 1) for name, ticks in share.items()}


def _locust(port: int, plan_path: Path, samples: Path, env: dict) -> int:
    """Run the load; returns the load tool's CPU time in clock ticks."""
    ramp = max(1, round(USERS / SPAWN_RATE))
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "tests" / "load" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(SPAWN_RATE),
        "--run-time",
        f"{ramp + SETTLE + SECONDS}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    locust_env = {k: v for k, v in env.items() if not k.startswith("DJANGO")}
    locust_env.update(
        ZHIDU_LOAD_PLAN=str(plan_path),
        ZHIDU_LOAD_SAMPLES=str(samples),
        ZHIDU_LOAD_SETTLE=str(SETTLE),
    )
    # locust exits 1 when any request failed: the failures are counted from the samples.
    tool = subprocess.Popen(command, cwd=ROOT, env=locust_env)
    _pid, _status, usage = os.wait4(tool.pid, 0)
    tool.returncode = 0
    return round((usage.ru_utime + usage.ru_stime) * os.sysconf("SC_CLK_TCK"))


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _group(samples, names) -> dict:
    rows = [s for s in samples if names(s[1])]
    times = [s[2] for s in rows]
    return {
        "count": len(rows),
        "errors": sum(1 for s in rows if s[3]),
        "p50": _percentile(times, 0.50),
        "p95": _percentile(times, 0.95),
        "p99": _percentile(times, 0.99),
        "median": statistics.median(times) if times else 0.0,
    }


def _results(samples_path: Path, plan: dict, cpu: dict) -> tuple[list[dict], list[tuple]]:
    lines = samples_path.read_text(encoding="utf-8").splitlines()
    window = json.loads(lines[0])["window"]
    samples = [json.loads(line) for line in lines[1:]]
    start, end = window.get("start", samples[0][0]), window["end"]
    inside = [s for s in samples if start <= s[0] <= end]
    seconds = end - start
    errors = [s for s in samples if s[3]]
    for _at, name, _ms, _failed, error in errors[:10]:
        _say(f"error: {name}: {error}")

    def is_read(name: str) -> bool:
        return name.startswith("read ") or name == "sign: open"

    reads = _group(inside, is_read)
    signing = _group(inside, lambda name: name == "sign: submit")
    shares = ", ".join(f"{name} {value}%" for name, value in cpu.items())
    scale = (
        f"{USERS} users for {seconds:.0f} s, 1–3 s between pages, gunicorn {WORKERS} × "
        f"{THREADS} threads on 127.0.0.1, PostgreSQL, {os.cpu_count()} CPUs ({shares}); "
        f"{plan['employees']:,} employees + the demo, {plan['regulations']} regulations of "
        f"50–100 articles, {plan['assignments']:,} assignments"
    )

    def metric(name, value, unit, target=None, **extra):
        ok = None if target is None else value <= target
        row = {
            "metric": name,
            "value": round(value, 1),
            "unit": unit,
            "target": target,
            "ok": ok,
            "scale": scale,
        }
        row.update(extra)
        return row

    results = [
        metric("reads_rps", reads["count"] / seconds, "req/s", requests=reads["count"]),
        metric("reads_p50_ms", reads["p50"], "ms"),
        metric("reads_p95_ms", reads["p95"], "ms", TARGETS["reads_p95_ms"]),
        metric("reads_p99_ms", reads["p99"], "ms"),
        metric("reads_errors", reads["errors"], "count"),
        metric("sign_rps", signing["count"] / seconds, "req/s", requests=signing["count"]),
        metric("sign_p50_ms", signing["p50"], "ms"),
        metric("sign_p95_ms", signing["p95"], "ms"),
        metric("sign_p99_ms", signing["p99"], "ms"),
        metric("sign_errors", signing["errors"], "count"),
        metric("errors", len(errors), "count", TARGETS["errors"], requests=len(samples)),
        metric("cpu_other_pct", cpu["other"], "%", note="CPU used by other work meanwhile"),
    ]
    by_page = []
    for name in sorted({s[1] for s in inside}):
        group = _group(inside, lambda n, name=name: n == name)
        by_page.append((name, group["count"] / seconds, group, group["errors"]))
    return results, by_page


def _print(results: list[dict], by_page: list[tuple]) -> None:
    print("\n== load")
    print(f"{'page':<20} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, rate, group, errors in by_page:
        print(
            f"{name:<20} {rate:>7.1f} {group['p50']:>8.0f} {group['p95']:>8.0f} "
            f"{group['p99']:>8.0f} {errors:>7}"
        )
    print()
    print(f"{'metric':<20} {'value':>10} {'unit':<6} {'target':>8}  ok")
    for r in results:
        target = "" if r["target"] is None else r["target"]
        ok = {True: "yes", False: "NO", None: "-"}[r["ok"]]
        print(f"{r['metric']:<20} {r['value']:>10} {r['unit']:<6} {target!s:>8}  {ok}")
    print(results[0]["scale"])


def main() -> int:
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="zhidu-load-"))
    name = f"zhidu_load_{os.getpid()}"
    url = urlparse(POSTGRES_URL)
    database_url = urlunparse(url._replace(path=f"/{name}"))
    env = _environment(database_url, workdir / "var")
    admin = admin_connection(POSTGRES_URL)
    server = None
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        plan_path, samples = workdir / "plan.json", workdir / "samples.jsonl"
        plan = _build(env, plan_path)
        _say(f"data ready in {time.perf_counter() - started:.0f} s (build {plan['build_s']} s)")
        port = _free_port()
        server = _serve(env, port, workdir / "gunicorn.log")
        _say(f"gunicorn: {WORKERS} workers × {THREADS} threads on 127.0.0.1:{port}")
        share = CpuShare(server)
        locust_ticks = _locust(port, plan_path, samples, env)
        cpu = share.finish(admin, name, locust_ticks)
        results, by_page = _results(samples, plan, cpu)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    _print(results, by_page)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)
    _say(f"done in {time.perf_counter() - started:.0f} s; var/bench/load.json written")
    return 1 if any(r["ok"] is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
