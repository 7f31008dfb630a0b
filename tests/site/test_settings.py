"""Configuration from the environment, a generated secret key, a clean production profile."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhidu.settings.environment import env_bool, env_int, env_list, secret_key

ROOT = Path(__file__).resolve().parents[2]


def test_secret_key_is_generated_once_into_var_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert secret_key(tmp_path) == first


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    assert secret_key(tmp_path) == "x" * 60
    assert not (tmp_path / "secret_key").exists()


def test_no_secret_key_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    assert not [name for name in tracked if name.startswith("var/") or "secret_key" in name]


def test_environment_values_are_parsed_or_refused(monkeypatch):
    monkeypatch.setenv("ZHIDU_FLAG", "yes")
    monkeypatch.setenv("ZHIDU_NUMBER", "12")
    monkeypatch.setenv("ZHIDU_HOSTS", "a.example, b.example")
    assert env_bool("ZHIDU_FLAG") is True
    assert env_int("ZHIDU_NUMBER", 3) == 12
    assert env_list("ZHIDU_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("ZHIDU_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("ZHIDU_NUMBER", 3)


def run_manage(*args, **env):
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )


SCALE_OUT = {
    "DJANGO_SETTINGS_MODULE": "zhidu.settings.production",
    "ALLOWED_HOSTS": "zhidu.example.com",
    "SEARCH_BACKEND": "elasticsearch",
    "ELASTICSEARCH_URL": "http://es1.invalid:9200,http://es2.invalid:9200",
    "SECRET_KEY": "k" * 20 + "Q7#x%v!" + "z" * 30,
    "ZHIDU_AUDIT_KEY": "a" * 64,
}


def deploy_check(tmp_path, **env):
    return run_manage(
        "check", "--deploy", "--fail-level", "WARNING", ZHIDU_VAR_DIR=str(tmp_path), **env
    )


def test_production_profile_for_several_servers_passes_the_deployment_check(tmp_path):
    result = deploy_check(tmp_path, **SCALE_OUT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_check_names_what_is_kept_on_one_server(tmp_path):
    """The single-server defaults: the embedded index and keys under var/ are warned about,
    and a site with one server silences exactly those warnings."""
    single = {"DJANGO_SETTINGS_MODULE": "zhidu.settings.production"}
    result = deploy_check(tmp_path, ALLOWED_HOSTS="zhidu.example.com", **single)
    assert result.returncode != 0
    warnings = {
        code for code in ("zhidu.W001", "zhidu.W002", "zhidu.W003") if code in result.stderr
    }
    assert warnings == {"zhidu.W001", "zhidu.W003"}, result.stderr
    assert "SECRET_KEY, ZHIDU_AUDIT_KEY" in result.stderr
    inline = deploy_check(tmp_path, **{**SCALE_OUT, "TASKS_BACKEND": "immediate"})
    assert "zhidu.W002" in inline.stderr and "zhidu.W001" not in inline.stderr
    silenced = deploy_check(
        tmp_path,
        ALLOWED_HOSTS="zhidu.example.com",
        ZHIDU_SILENCED_CHECKS="zhidu.W001,zhidu.W003",
        **single,
    )
    assert silenced.returncode == 0, silenced.stdout + silenced.stderr


def test_unknown_search_backend_is_refused(tmp_path):
    result = run_manage("check", SEARCH_BACKEND="solr", ZHIDU_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SEARCH_BACKEND" in result.stderr


def test_database_url_selects_the_database(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection as c; print(c.vendor, c.settings_dict['NAME'])",
        DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3",
        ZHIDU_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert f"sqlite {tmp_path}/other.sqlite3" in result.stdout


def test_import_site_is_still_the_standard_library():
    import site

    assert hasattr(site, "getsitepackages")
    assert "zhidu" not in getattr(site, "__file__", "")


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("", "django_tasks.backends.immediate.ImmediateBackend"),
        ("database", "django_tasks_db.DatabaseBackend"),
    ],
)
def test_tasks_run_inline_by_default_and_on_the_database_queue_when_asked(tmp_path, value, backend):
    env = {"ZHIDU_VAR_DIR": str(tmp_path)}
    if value:
        env["TASKS_BACKEND"] = value
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.TASKS)", **env
    )
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout


def test_email_goes_to_the_console_unless_an_smtp_host_is_set(tmp_path):
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    console = run_manage("shell", "-c", code, ZHIDU_VAR_DIR=str(tmp_path))
    smtp = run_manage("shell", "-c", code, ZHIDU_VAR_DIR=str(tmp_path), EMAIL_HOST="mail.example")
    assert "console" in console.stdout
    assert "smtp" in smtp.stdout


def test_level_restrictions_are_read_from_the_environment_and_checked():
    from django.core.exceptions import ImproperlyConfigured

    from zhidu.settings.environment import level_restrictions

    assert level_restrictions("3:download;4:download,print,export") == {
        3: {"download"},
        4: {"download", "print", "export"},
    }
    assert level_restrictions("") == {}
    for bad in ("3:shred", "secret:download"):
        with pytest.raises(ImproperlyConfigured):
            level_restrictions(bad)
