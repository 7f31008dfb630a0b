#!/usr/bin/env bash
# Prepare a checkout to run or test Zhidu: system packages, virtualenv, Python packages,
# compiled translations, database migrations. Safe to run again: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"

# Debian/Ubuntu packages: gettext compiles the translations; Pango and HarfBuzz (with its
# subsetter, without which a Chinese PDF takes 10–19 s instead of ~0.3 s) are what WeasyPrint
# renders with; the CJK fonts are the ones the PDF templates name (records/pdf.py): Noto Serif
# CJK for titles, AR PL UMing for body text (仿宋), WenQuanYi Micro Hei (黑体), AR PL UKai (楷体).
SYSTEM_PACKAGES=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 shared-mime-info
    fontconfig fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei)
# For the tests only (a production image leaves them out, deploy/Dockerfile): chromium is the
# browser the browser tests drive through Playwright (tests/browser/); Playwright's own
# browser download (`playwright install`) needs a site that is not reachable.
TEST_SYSTEM_PACKAGES=(chromium)
# On PostgreSQL, manage.py backup and restore run pg_dump, pg_restore and psql.
if [[ "${DATABASE_URL:-}" == postgres* ]] && ! command -v pg_dump >/dev/null 2>&1; then
    SYSTEM_PACKAGES+=(postgresql-client)
fi

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "Not a Debian/Ubuntu system: make sure these are installed: ${SYSTEM_PACKAGES[*]} ${TEST_SYSTEM_PACKAGES[*]}"
        return
    fi
    local missing=()
    for pkg in "${SYSTEM_PACKAGES[@]}" "${TEST_SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            echo "Zhidu needs these system packages; please install them and run again:" >&2
            echo "    sudo apt-get install ${missing[*]}" >&2
            exit 1
        fi
    fi
    say "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

check_python() {
    "$PYTHON" - <<'PY' || { echo "Zhidu needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
}

install_python_packages() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv in $VENV"
        "$PYTHON" -m venv "$VENV" || {
            echo "Could not create a virtualenv; on Debian/Ubuntu install python3-venv." >&2
            exit 1
        }
    fi
    local stamp="$VENV/.zhidu-installed" digest
    digest="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        say "Installing Python packages"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e ".[dev]"
        echo "$digest" > "$stamp"
    fi
}

install_system_packages
check_python
install_python_packages
mkdir -p var
say "Compiling translations"
"$VENV/bin/python" manage.py compilemessages --ignore="$VENV" -v 0
if [ "${ZHIDU_SKIP_MIGRATE:-}" != "1" ]; then
    say "Migrating the database"
    "$VENV/bin/python" manage.py migrate --no-input -v 0
fi
