"""deploy/ and docs/deployment.md agree with the settings and the code: every variable the
example environment names is one something reads, every variable the settings read is
documented, compose and systemd run commands that exist, the image installs what setup.sh
installs, the proxy accepts the largest upload and passes on what Django trusts."""

import re
import stat
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from zhidu.health import HEALTH_PATH

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS_SOURCES = [
    ROOT / "site/zhidu/settings" / name
    for name in ("base.py", "production.py", "media.py", "environment.py")
]
FILES = [
    "deploy/compose.yaml",
    "deploy/Dockerfile",
    "deploy/Dockerfile.dockerignore",
    "deploy/nginx.conf",
    "deploy/gunicorn.conf.py",
    "deploy/daily.sh",
    "deploy/zhidu.env.example",
    "deploy/systemd/zhidu-web.service",
    "deploy/systemd/zhidu-worker.service",
    "deploy/systemd/zhidu-daily.service",
    "deploy/systemd/zhidu-daily.timer",
    "docs/deployment.md",
]


def text(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def example_variables() -> dict[str, str]:
    found = {}
    for line in text("deploy/zhidu.env.example").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            found[name] = value
    return found


def settings_variables() -> set[str]:
    """Every variable the production settings read (env_str("X"…), _prefix("X"…), the keys)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SETTINGS_SOURCES)
    names = set(re.findall(r'(?:env_\w+|_prefix)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    return names | {"SECRET_KEY", "ZHIDU_AUDIT_KEY"}


def compose() -> dict:
    return yaml.safe_load(text("deploy/compose.yaml"))


def daily_commands() -> list[list[str]]:
    return [
        line.split("#")[0].split()[1:]
        for line in text("deploy/daily.sh").splitlines()
        if line.startswith("run ")
    ]


@pytest.mark.parametrize("path", FILES)
def test_the_deployment_files_are_there(path):
    assert (ROOT / path).is_file(), path


def test_every_variable_of_the_example_environment_is_read_by_something():
    read = settings_variables() | {"DJANGO_SETTINGS_MODULE"}
    gunicorn = set(re.findall(r'environ\.get\("([A-Z_]+)"', text("deploy/gunicorn.conf.py")))
    interpolated = set(re.findall(r"\$\{([A-Z_]+)", text("deploy/compose.yaml")))
    unread = set(example_variables()) - read - gunicorn - interpolated
    assert not unread, f"named in zhidu.env.example but read by nothing: {sorted(unread)}"


def test_every_variable_the_settings_read_is_in_the_example_and_the_readme():
    example, readme = set(example_variables()), text("README.md")
    for name in settings_variables():
        assert name in example, f"{name} missing from deploy/zhidu.env.example"
        assert f"`{name}`" in readme, f"{name} missing from README's configuration table"


def test_the_example_environment_is_the_scale_out_profile():
    values = example_variables()
    assert values["DJANGO_SETTINGS_MODULE"] == "zhidu.settings.production"
    assert values["SEARCH_BACKEND"] == "elasticsearch"
    assert values["TASKS_BACKEND"] == "database"
    assert values["ZHIDU_S3_BUCKET"] and values["ZHIDU_PROXY_COUNT"] == "1"
    assert not values["ZHIDU_SILENCED_CHECKS"]  # several servers: no warning to accept


def test_compose_runs_every_tier_with_the_shared_services():
    services = compose()["services"]
    assert {"postgres", "elasticsearch", "minio", "migrate", "app", "worker", "nginx"} <= set(
        services
    )
    app, worker, migrate = services["app"], services["worker"], services["migrate"]
    assert app["deploy"]["replicas"] >= 2
    assert app["command"][:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert worker["command"] == ["python", "manage.py", "db_worker"]
    assert migrate["command"][:3] == ["python", "manage.py", "migrate"]
    for name in ("app", "worker", "migrate", "daily"):
        env = services[name]["environment"]
        assert env["SEARCH_BACKEND"] == "elasticsearch", name
        assert env["TASKS_BACKEND"] == "database", name
        assert env["ZHIDU_S3_BUCKET"] and env["DATABASE_URL"].startswith("postgres://"), name
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert services["daily"]["command"] == ["deploy/daily.sh"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]
    assert "management/commands" not in str(services)  # only manage.py names


def test_the_daily_jobs_are_commands_that_exist_and_both_schedulers_run_them():
    commands = get_commands()
    jobs = daily_commands()
    names = [job[0] for job in jobs]
    assert set(names) >= {
        "acknowledgements_distribute",
        "acknowledgements_remind",
        "approvals_remind",
        "reviews_remind",
        "contracts_remind",
        "classification_downgrade",
        "search_check",
        "verify_audit_log",
    }
    assert ["search_check", "--fix"] in jobs
    for name in names:
        assert name in commands, f"deploy/daily.sh runs {name}, which does not exist"
    assert (DEPLOY / "daily.sh").stat().st_mode & stat.S_IXUSR
    assert "ExecStart=/srv/zhidu/app/deploy/daily.sh" in text("deploy/systemd/zhidu-daily.service")
    assert "Unit=zhidu-daily.service" in text("deploy/systemd/zhidu-daily.timer")


def test_systemd_units_run_what_the_checkout_has():
    web = text("deploy/systemd/zhidu-web.service")
    worker = text("deploy/systemd/zhidu-worker.service")
    assert "gunicorn -c deploy/gunicorn.conf.py zhidu.wsgi:application" in web
    assert "manage.py db_worker" in worker
    for unit in (web, worker, text("deploy/systemd/zhidu-daily.service")):
        assert "EnvironmentFile=/etc/zhidu/zhidu.env" in unit
        assert "WorkingDirectory=/srv/zhidu/app" in unit


def test_the_image_installs_what_setup_installs_and_serves_the_health_check():
    dockerfile = text("deploy/Dockerfile")
    setup = text("scripts/setup.sh")
    packages = re.search(r"SYSTEM_PACKAGES=\(([^)]*)\)", setup).group(1).split()
    for package in packages:
        assert re.search(rf"\b{re.escape(package)}\b", dockerfile), package
    assert '".[s3,redis]"' in dockerfile
    assert "collectstatic" in dockerfile and "compilemessages" in dockerfile
    assert f"http://127.0.0.1:8000{HEALTH_PATH}" in dockerfile
    assert '"deploy/gunicorn.conf.py"' in dockerfile


def test_the_proxy_accepts_the_largest_upload_and_passes_on_what_django_trusts():
    from policies_content.acknowledgement_admin_views import SCAN_MAX_BYTES
    from records.models.notice_settings import SEAL_MAX_BYTES
    from records.verification_views import MAX_UPLOAD_BYTES

    nginx = text("deploy/nginx.conf")
    size = re.search(r"client_max_body_size (\d+)m;", nginx)
    limit = int(size.group(1)) * 1024 * 1024
    for upload in (
        settings.ZHIDU_DOCUMENT_IMPORT_MAX_BYTES,
        settings.ZHIDU_CONTRACT_ATTACHMENT_MAX_BYTES,
        settings.ZHIDU_IMPORT_MAX_BYTES,
        MAX_UPLOAD_BYTES,
        SCAN_MAX_BYTES,
        SEAL_MAX_BYTES,
    ):
        assert upload < limit
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx  # SECURE_PROXY_SSL_HEADER
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "server app:8000" in nginx and "0.0.0.0:8000" in text("deploy/gunicorn.conf.py")
    assert f"location = {HEALTH_PATH}" in nginx
    # the public prefix only: evidence is never reachable through the proxy
    assert "/zhidu/media/" in nginx and "private" not in re.sub(r"#.*", "", nginx)


def test_dependencies_keep_the_default_install_light():
    pyproject = text("pyproject.toml")
    dependencies = pyproject.split("[project.optional-dependencies]")[0]
    assert '"whitenoise' in dependencies and '"gunicorn' in dependencies
    assert "django-storages" not in dependencies and "redis" not in dependencies
    assert re.search(r'^s3 = \["django-storages\[s3\]', pyproject, re.M)
    assert re.search(r'^redis = \["redis', pyproject, re.M)


def test_the_guide_is_linked_and_names_the_commands_it_relies_on():
    guide = text("docs/deployment.md")
    assert "docs/deployment.md" in text("README.md")
    for needed in (
        "search_rebuild",
        "manage.py backup",
        "ZHIDU_ES_INDEX",
        "zhidu.W001",
        "zhidu.W002",
        "zhidu.W003",
        HEALTH_PATH,
        "migrate --no-input",
    ):
        assert needed in guide, needed
