"""manage.py load_demo: build the demo company and print one login per role."""

from django.core.management.base import BaseCommand, CommandError

from zhidu.demo.loader import database_empty, demo_load, demo_logins, demo_present


class Command(BaseCommand):
    help = "Load the demo company (org chart, 40 staff, role logins, sample documents)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database; otherwise do nothing (used by make run).",
        )

    def handle(self, *args, if_empty=False, **options):
        if demo_present():
            self.stdout.write("演示数据已存在，未重复加载。 The demo data is already loaded.")
        elif if_empty and not database_empty():
            self.stdout.write(
                "数据库中已有数据，未加载演示数据。 The database is not empty; "
                "the demo was not loaded."
            )
            return
        elif not database_empty():
            raise CommandError(
                "数据库中已有组织或文件数据，演示数据只能加载到空数据库。 "
                "The demo can only be loaded into an empty database."
            )
        else:
            demo_load()
            self.stdout.write(self.style.SUCCESS("演示数据已加载。 Demo data loaded."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("\n演示账号 Demo logins (password 密码: zhidu-demo)")
        for login in demo_logins():
            self.stdout.write(
                f"  {login['username']:<10} {login['role']:<6} {login['description_zh']}"
            )
