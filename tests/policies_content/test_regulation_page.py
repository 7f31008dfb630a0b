"""A regulation page numbers its articles itself and keeps each block's identity."""

import pytest
from wagtail.blocks import StreamValue

from policies_content.library import category_page
from policies_content.models import RegulationPage
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation():
    page = RegulationPage(
        title="考勤管理制度",
        body=[
            ("chapter", {"title": "总则"}),
            ("article", {"text": "为规范考勤，制定本制度。", "clauses": []}),
            (
                "article",
                {
                    "text": "本制度适用于全体员工。",
                    "clauses": [
                        {"text": "正式员工；", "level": "2"},
                        {"text": "实习人员。", "level": "2"},
                    ],
                },
            ),
            ("chapter", {"title": "请假"}),
            ("article", {"text": "请假须提前申请。", "clauses": []}),
        ],
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    return page


def labels(page):
    return [(item["label"], item["uid"]) for item in page.numbered_body()]


def test_articles_are_numbered_across_chapters(regulation):
    numbers = [number for number, _id in labels(regulation)]
    assert numbers == ["第一章", "第一条", "第二条", "第二章", "第三条"]
    clauses = [clause["label"] for clause in regulation.numbered_body()[2]["clauses"]]
    assert clauses == ["（一）", "（二）"]


def test_inserting_an_article_renumbers_the_rest_and_keeps_their_ids(regulation):
    before = dict(
        (item["text"], item["uid"])
        for item in regulation.numbered_body()
        if item["kind"] == "article"
    )
    raw = list(regulation.body.raw_data)
    raw.insert(1, {"type": "article", "value": {"text": "新增的第一条。", "clauses": []}})
    regulation.body = StreamValue(regulation.body.stream_block, raw, is_lazy=True)
    regulation.save()
    regulation.refresh_from_db()
    after = {
        item["text"]: (item["label"], item["uid"])
        for item in regulation.numbered_body()
        if item["kind"] == "article"
    }
    assert after["新增的第一条。"][0] == "第一条"
    assert after["为规范考勤，制定本制度。"] == ("第二条", before["为规范考勤，制定本制度。"])
    assert after["请假须提前申请。"] == ("第四条", before["请假须提前申请。"])


def test_reading_page_shows_generated_numbers_and_clause_anchors(client, regulation):
    client.force_login(EmployeeFactory().user)
    response = client.get(regulation.url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "第三条" in text and "（二）实习人员。" in text
    first_article_id = regulation.numbered_body()[1]["uid"]
    assert f'id="{first_article_id}"' in text


def test_page_above_the_readers_clearance_is_not_found(client, regulation):
    regulation.classification = 3
    regulation.change_kind, regulation.change_summary = "minor", "提高密级为机密。"
    regulation.save_revision().publish()
    client.force_login(EmployeeFactory(clearance=1).user)
    assert client.get(regulation.url).status_code == 404
    assert client.get(f"/export/{regulation.pk}/word/").status_code == 404
