"""The staff portal's reading view and home: contents, clause links, versions and what changed,
the call to sign; on 我的文件, what was recently issued or revised for me, and search."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import Assignment, IssuedVersion, PolicyLibraryPage, RegulationPage
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def body(articles: int, *, last=""):
    blocks = [("chapter", {"title": "总则"})]
    for n in range(1, articles + 1):
        text = last if (last and n == articles) else f"第{n}项考勤要求。"
        blocks.append(("article", {"text": text, "clauses": []}))
    return blocks


@pytest.fixture
def reader():
    company = CompanyFactory()
    return EmployeeFactory(department=DepartmentFactory(name="销售部", code="XS", parent=company))


@pytest.fixture
def rule(reader):
    page = RegulationPage(
        title="考勤管理制度",
        document_number="HM-RS-2026-301",
        body=body(12),
        effective_date=TODAY - datetime.timedelta(days=10),
        change_summary="首次发布",
        distribution_all_staff=True,
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def revise(page, *, last):
    page = RegulationPage.objects.get(pk=page.pk)
    page.body = body(12, last=last)
    page.change_kind, page.change_summary = "major", "修改第十二条"
    page.effective_date = TODAY
    page.save_revision().publish()
    return IssuedVersion.objects.filter(page_id=page.pk).order_by("-major", "-minor").first()


def test_the_reading_view_has_contents_and_links_to_each_article(client, reader, rule):
    client.force_login(reader.user)
    html = client.get(rule.url).content.decode()
    assert "目录" in html
    twelfth = re.search(
        r'<section class="article" id="([^"]+)"><p><a class="permalink" href="#\1"'
        r' title="链接到第十二条"><strong>第十二条</strong>',
        html,
    )
    assert twelfth, "第十二条 links to itself"
    assert f'<a href="#{twelfth.group(1)}">第十二条</a>' in html  # and the contents lead there
    assert 'data-copied="已复制链接"' in html


def test_the_reading_view_calls_the_reader_to_sign_and_the_button_goes(client, reader, rule):
    client.force_login(reader.user)
    assignment = Assignment.objects.get(page_id=rule.pk, employee=reader)
    html = client.get(rule.url).content.decode()
    assert "请您签收本版本。" in html
    assert reverse("acknowledgement_sign", args=[assignment.pk]) in html
    Assignment.objects.filter(pk=assignment.pk).update(state="signed")
    assert "阅读并签收" not in client.get(rule.url).content.decode()


def test_after_a_revision_the_reader_switches_versions_and_sees_what_changed(client, reader, rule):
    second = revise(rule, last="迟到三次以上的，按旷工半天处理。")
    client.force_login(reader.user)
    html = client.get(rule.url).content.decode()
    assert "迟到三次以上的" in html
    compare = reverse("version_compare", args=[rule.document_number]) + "?from=1.0&amp;to=2.0"
    assert compare in html and "与 V1.0 相比的修改" in html
    assert reverse("version_detail", args=[rule.document_number, "1.0"]) in html
    assert '<strong aria-current="page">V2.0</strong>' in html

    home = client.get(reverse("staff_home")).content.decode()
    recent = home[home.index("最近发给我的新制度和修订") :]
    assert "考勤管理制度 V2.0" in recent and "修订" in recent
    assert compare in recent
    pending = Assignment.objects.get(version=second, employee=reader)
    assert reverse("acknowledgement_sign", args=[pending.pk]) in home


def test_the_home_offers_search_and_lists_nothing_not_distributed_to_me(client, reader):
    other = DepartmentFactory(name="财务部", code="CW")
    page = RegulationPage(
        title="财务报销制度",
        document_number="HM-CW-2026-001",
        body=body(2),
        effective_date=TODAY,
        change_summary="首次发布",
    )
    category_page("财务").add_child(instance=page)
    page.distribution.add(other)
    page.save_revision().publish()
    client.force_login(reader.user)
    home = client.get(reverse("staff_home")).content.decode()
    assert f'action="{reverse("search")}"' in home and 'id="home-search"' in home
    recent = home[home.index("最近发给我的新制度和修订") :]
    assert "财务报销制度" not in recent.split("</section>")[0]
    assert "最近 60 天没有发给您的新制度或修订。" in recent


def test_the_library_browses_by_owner_department_within_the_readers_clearance(client, reader):
    finance = DepartmentFactory(name="财务部", code="CW")
    hr = DepartmentFactory(name="人力资源部", code="RL")
    for title, number, owner, level in (
        ("费用报销管理办法", "HM-CW-2026-001", finance, 1),
        ("财务审批权限表", "HM-CW-2026-009", finance, 3),  # 机密: above the reader
        ("招聘管理制度", "HM-RS-2026-002", hr, 1),
    ):
        page = RegulationPage(
            title=title,
            document_number=number,
            owner_department=owner,
            classification=level,
            body=body(1),
            effective_date=TODAY,
            change_summary="首次发布",
        )
        category_page("制度").add_child(instance=page)
        page.save_revision().publish()
    client.force_login(reader.user)
    library = PolicyLibraryPage.objects.get()
    html = client.get(library.url).content.decode()
    assert "按制定部门" in html
    assert re.search(r"财务部 <span class=\"muted\">1</span>", html)  # the 机密 one not counted
    chosen = client.get(library.url, {"department": finance.pk}).content.decode()
    listing = chosen[chosen.index('id="by-department"') :]
    assert "费用报销管理办法" in listing
    assert "财务审批权限表" not in chosen and "招聘管理制度" not in listing


def test_the_issued_text_is_rendered_once_and_stays_right_per_language(
    client, reader, rule, monkeypatch
):
    """The numbered text of an issued version is the same for every reader: rendered once
    (policies_content.version_html), it is still each reader's language, and a new version
    shows its own text."""
    from django.core.cache import cache

    from policies_content import version_html

    cache.clear()
    renders = []
    real_render = version_html.render_to_string
    monkeypatch.setattr(
        version_html,
        "render_to_string",
        lambda *args, **kwargs: renders.append(args[0]) or real_render(*args, **kwargs),
    )
    client.force_login(reader.user)

    def text_of(html: str) -> str:
        return html[html.index('<details class="toc') : html.index("</article>")]

    first = text_of(client.get(rule.url).content.decode())
    assert "目录" in first and "第十二条" in first
    assert text_of(client.get(rule.url).content.decode()) == first
    assert len(renders) == 1, "the second reading came from the cache"
    client.cookies["django_language"] = "en"
    english = client.get(rule.url).content.decode()
    assert "Contents" in english and "目录" not in english
    del client.cookies["django_language"]
    revise(rule, last="迟到三次以上的，按旷工半天处理。")
    assert "迟到三次以上的" in client.get(rule.url).content.decode()
    assignment = Assignment.objects.get(page_id=rule.pk, employee=reader, state="open")
    sign_page = client.get(reverse("acknowledgement_sign", args=[assignment.pk]))
    assert "迟到三次以上的" in sign_page.content.decode()


def test_a_page_reads_the_readers_roles_once(client, reader, rule):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reader.user)
    for url in (reverse("staff_home"), rule.url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        groups = [q for q in queries if 'FROM "auth_group"' in q["sql"]]
        assert len(groups) <= 1, url
