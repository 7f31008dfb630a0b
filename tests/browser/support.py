"""What the browser journeys share: signing in, a department, label checks (a published
regulation: tests.factories.regulation_publish)."""

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, DepartmentFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every browser test, saying how to install
    expect = None

# Every journey: marked `browser`, served by the live server from a committed database that
# starts each test as migrated (see conftest.py).
JOURNEY = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "pw-for-tests"  # tests.factories.UserFactory's default
TODAY = timezone.localdate()
# The two sizes every journey is checked and photographed at.
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Through the sign-in page, as a person types it; waits until they have left it."""
    page.goto("/accounts/login/")
    page.get_by_label("工号或用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def department(name: str = "运营组"):
    return DepartmentFactory(name=name, parent=CompanyFactory())


# Every visible form control and its accessible name from a <label> (for= or wrapping),
# aria-label or aria-labelledby; the check fails on those whose name is empty.
LABELS_JS = """
(scope) => {
  const root = scope || document;
  const controls = root.querySelectorAll("input, select, textarea");
  const text = (el) => (el ? el.textContent : "").replace(/\\s+/g, " ").trim();
  return Array.from(controls)
    .filter((el) => el.type !== "hidden" && el.getClientRects().length > 0)
    .map((el) => {
      // A label's own words, without the text of the control it wraps (a <select>'s options).
      const byLabel = Array.from(el.labels || [])
        .map((label) => {
          const copy = label.cloneNode(true);
          copy.querySelectorAll("input, select, textarea").forEach((inner) => inner.remove());
          return text(copy);
        })
        .join(" ");
      const byAria = (el.getAttribute("aria-label") || "").trim();
      const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
      const byIds = ids.map((id) => text(document.getElementById(id))).join(" ");
      return {
        control: el.outerHTML.slice(0, 120),
        name: (byLabel || byAria || byIds).trim(),
      };
    });
}
"""


def form_controls(page, selector: str | None = None) -> list[dict]:
    """[{control, name}] for the visible controls of the page (or of ``selector``)."""
    if selector is None:
        return page.evaluate(LABELS_JS)
    return page.locator(selector).evaluate(LABELS_JS)


FOCUSED_JS = """
() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    text: (el.textContent || "").trim().slice(0, 40),
  };
}
"""


def tab_until(page, reached, *, limit: int = 80) -> list[dict]:
    """Press Tab until the focused element (a dict: tag, id, name, type, text) satisfies
    ``reached``; returns every element focused on the way, the last one included."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        visited.append(focused)
        if reached(focused):
            return visited
    raise AssertionError(f"not reached with {limit} presses of Tab; focus went: {visited}")
