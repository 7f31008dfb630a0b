#!/usr/bin/env python
"""Django's command-line utility for Zhidu.

The Django project package lives in site/zhidu/. The folder is called site/ as the layout asks,
but Python's standard library also has a module named ``site`` (imported at start-up), so site/
is a plain folder, never a package: its contents go on sys.path and ``import site`` stays the
standard library.
"""

import os
import sys
from pathlib import Path


def main():
    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidu.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
