"""manage.py reviews_remind: e-mail each policy editor the documents due for review that they
may see (the access policy: a 机密 document's title never reaches someone cleared below it)."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policies_content.selectors import reviews_due
from records.roles import POLICY_EDITOR


def _lines(due) -> list[str]:
    return [
        f"《{item['page'].title}》 {item['version'].version} — "
        + (_("overdue since %(date)s") if item["overdue"] else _("due on %(date)s"))
        % {"date": item["due_on"].isoformat()}
        for item in due
    ]


class Command(BaseCommand):
    help = "E-mail policy editors (制度管理员) the documents due or overdue for their review."

    def handle(self, *args, **options):
        due = reviews_due()
        if not due:
            self.stdout.write(_("No review is due in the next 30 days."))
            return
        editors = (
            get_user_model()
            .objects.filter(groups__name=POLICY_EDITOR, is_active=True)
            .exclude(email="")
            .distinct()
        )
        reminded = 0
        for editor in editors:
            theirs = reviews_due(user=editor)
            if theirs:
                send_mail(
                    _("Documents due for review"), "\n".join(_lines(theirs)), None, [editor.email]
                )
                reminded += 1
        self.stdout.write(
            _("%(count)s documents due for review; reminder sent to %(people)s people.")
            % {"count": len(due), "people": reminded}
        )
