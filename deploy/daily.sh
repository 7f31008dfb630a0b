#!/bin/sh
# Zhidu's daily jobs, in order, once a day on ONE machine (systemd: zhidu-daily.timer;
# compose: `docker compose run --rm daily` from the host's cron). Each job is safe to run again
# the same day. A failing job does not stop the others; the script then exits 1 so the timer
# (or cron) reports it. Run from the checkout, with the production environment loaded.
set -u
cd "$(dirname "$0")/.."
PYTHON="${ZHIDU_PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python

failed=""
run() {
    echo "==> manage.py $*"
    "$PYTHON" manage.py "$@" || failed="$failed $1"
}

run classification_downgrade        # 保密期限 passed: lower the level (and re-index)
run acknowledgements_distribute     # versions in force from today: assign their readers
run acknowledgements_remind         # unsigned documents: staff, then their managers
run approvals_remind                # approval steps older than ZHIDU_APPROVAL_DEADLINE_DAYS
run reviews_remind                  # documents due for their periodic review
run contracts_remind                # contract statuses, auto-filing, expiry reminders
run search_check --fix              # index drift (missed updates) re-indexed
run verify_audit_log                # the audit chain still verifies with ZHIDU_AUDIT_KEY

if [ -n "$failed" ]; then
    echo "Zhidu daily jobs failed:$failed" >&2
    exit 1
fi
