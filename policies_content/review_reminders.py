"""Reminders about periodic reviews (复审) to the policy editors (制度管理员).

Run daily by ``manage.py reviews_remind``. Each active policy editor with an e-mail address gets
one e-mail listing the documents due or overdue for review that they may see (the access policy:
a 机密 title never reaches someone cleared below it), in their language, at most once a day
(``ReviewReminder``). The row is written in the transaction that sends, so a run that stopped
half-way and is run again sends only to those it had not reached, and a failed send is tried
again on the next run.
"""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.roles import POLICY_EDITOR
from records.user_language import user_language

from .models import ReviewReminder
from .selectors import reviews_due

logger = logging.getLogger(__name__)


@dataclass
class ReviewReminderRun:
    due: int = 0  # documents due or overdue (all of them)
    sent: int = 0  # e-mails sent
    failed: int = 0  # e-mails that could not be sent (retried on the next run)


def _lines(due) -> list[str]:
    return [
        f"《{item['page'].title}》 {item['version'].version} — "
        + (_("overdue since %(date)s") if item["overdue"] else _("due on %(date)s"))
        % {"date": item["due_on"].isoformat()}
        for item in due
    ]


def reviews_remind(now: datetime.datetime | None = None) -> ReviewReminderRun:
    """E-mail today's review reminders (see the module docstring)."""
    today = timezone.localdate(now or timezone.now())
    run = ReviewReminderRun(due=len(reviews_due(day=today)))
    if not run.due:
        return run
    editors = (
        get_user_model()
        .objects.filter(groups__name=POLICY_EDITOR, is_active=True)
        .exclude(email="")
        .exclude(pk__in=ReviewReminder.objects.filter(sent_on=today).values("user_id"))
        .distinct()
        .order_by("pk")
    )
    for editor in editors:
        theirs = reviews_due(user=editor, day=today)
        if not theirs:
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(user=editor, sent_on=today, documents=len(theirs))
                with translation.override(user_language(editor)):
                    subject, body = _("Documents due for review"), "\n".join(_lines(theirs))
                send_mail(subject, body, None, [editor.email])
        except IntegrityError:  # a concurrent run sent it
            continue
        except Exception:  # one bad address must not stop the others; retried next run
            logger.exception("review reminder to user %s failed", editor.pk)
            run.failed += 1
            continue
        run.sent += 1
    return run
