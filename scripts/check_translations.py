"""Fail when a translation catalog has untranslated or fuzzy entries (run after makemessages)."""

import sys

import polib


def main(paths: list[str]) -> int:
    problems = 0
    for path in paths:
        catalog = polib.pofile(path)
        for entry in catalog.untranslated_entries() + catalog.fuzzy_entries():
            print(f"{path}: not translated: {entry.msgid!r}")
            problems += 1
    print(f"{problems} untranslated message(s)" if problems else "all messages translated")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
