"""Importing the five real scraped seed files (../shared/seeds) in one run.

The seeds are what HR really download: several rules per file, titles glued to the text,
download-site boilerplate, page markers, pinyin annotations, traditional characters. Tests
that need them skip, saying so, when the folder is absent.
"""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from policies_content.document_import import ImportFile, documents_import
from policies_content.importing.parser import parse_file
from policies_content.models import JobDescriptionPage, RegulationPage
from policies_content.stream import canonical_text, page_to_parsed

SHIYUAN = "是源医学科技(深圳)有限公司电子商务管理制度"
SHIYUAN_POSITIONS = [
    "电子商务主管",
    "电子商务渠道专员",
    "电子商务产品专员",
    "电子商务助理",
    "电子商推广专员",  # sic, as in the source
    "网页美工",
]
BOILERPLATE = [
    "格式:",
    "大小:",
    "文档页数",
    "下載本文檔",
    "下载文档前",
    "版權說明",
    "溫馨提示",
    "_第1頁",
    "人人文庫",
    "(yùn)",
    "(yíng)",
    "已閱讀",
]
# A sentence of the 是源 regulation's 电脑使用和管理, and an edit of it.
ORIGINAL_SENTENCE = "离职人员在离开本岗位前一周内移交全部电子商务记录资料"
EDITED_SENTENCE = "离职人员在离开本岗位前两周内移交全部电子商务记录资料"


@pytest.fixture
def seeds_dir() -> Path:
    folder = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not folder.is_dir() or not sorted(folder.glob("*.txt")):
        pytest.skip(f"seed files not present: {folder}")
    return folder


@pytest.fixture
def seed_paths(seeds_dir) -> list[Path]:
    paths = sorted(seeds_dir.glob("*.txt"))
    assert len(paths) == 5, [p.name for p in paths]
    return paths


@pytest.fixture
def seed_files(seed_paths) -> list[ImportFile]:
    return [ImportFile(path.name, path.read_bytes()) for path in seed_paths]


@pytest.fixture
def seed_run(db, seed_files):
    """All five seeds imported in one run into an empty library."""
    return documents_import(files=seed_files)


def documents_of(run) -> list[dict]:
    return [doc for file in run.report["files"] for doc in file["documents"]]


def latest_text(page) -> str:
    return canonical_text(page_to_parsed(page.specific.get_latest_revision_as_object()))


def regulation(title: str, **filters) -> RegulationPage:
    return RegulationPage.objects.get(title=title, **filters)


# --- the import run -------------------------------------------------------------------------


def test_every_seed_file_imports_without_error(seed_run):
    assert [file["error"] for file in seed_run.report["files"]] == [""] * 5
    assert seed_run.error_count == 0
    assert seed_run.created_count == RegulationPage.objects.count() + (
        JobDescriptionPage.objects.count()
    )
    # several rules per file, each its own page
    for file in seed_run.report["files"]:
        assert file["documents"], file["name"]
    assert RegulationPage.objects.count() > 40


def test_the_shiyuan_regulation_with_its_control_data_and_six_job_descriptions(seed_run):
    page = regulation(SHIYUAN)
    assert page.document_number == "SYCW2010--005"
    assert page.version == "V1.0"
    assert page.effective_date.isoformat() == "2011-02-24"
    # 编制: / 审核: / 批准: are blank in the source and stay blank
    assert (page.prepared_by, page.reviewed_by, page.approved_by) == ("", "", "")

    report = next(doc for doc in documents_of(seed_run) if doc["title"] == SHIYUAN)
    assert report["action"] == "created"
    assert report["metadata"] == {
        "document_number": "SYCW2010--005",
        "version": "V1.0",
        "effective_date": "2011-02-24",
    }
    assert report["job_descriptions"] == 6

    jds = JobDescriptionPage.objects.filter(source_regulation=page).order_by("pk")
    assert [jd.position_title for jd in jds] == SHIYUAN_POSITIONS
    assert [jd.title for jd in jds] == [f"{p}岗位说明书" for p in SHIYUAN_POSITIONS]
    designer = jds.get(position_title="网页美工")
    assert "电子商城风格掌控与设计" in [str(block.value) for block in designer.duties]
    manager = jds.get(position_title="电子商务主管")
    assert any("维护合作伙伴关系" in str(block.value) for block in manager.duties)
    # the regulation itself keeps its body: the 职位说明 is also text of the rule
    assert "电子商城风格掌控与设计" in latest_text(page)


def test_traditional_chinese_regulation_keeps_its_characters_and_loses_its_pinyin(seed_run):
    page = regulation("電商運營管理制度")
    sections = [block.value["title"] for block in page.body if block.block_type == "section"]
    assert sections[:2] == ["引言", "運營管理原則"]
    assert "附則" in sections
    text = latest_text(page)
    assert "二、運營管理原則" in text
    assert "1.合法合規:運營活動必須遵守國家法律法規" in text
    assert "(yùn)" not in text and "(guī)" not in text
    assert "电商运营管理制度" not in text  # not converted to simplified characters


def test_title_run_into_the_first_chapter_is_split_from_it(seed_run):
    # source line: 电商运营管理制度大全第一章总则第一条为了规范电商运营管理行为,…
    pages = RegulationPage.objects.filter(title="电商运营管理制度", source_file__startswith="002_")
    page = next(p for p in pages if "为了规范电商运营管理行为" in latest_text(p))
    body = list(page.body)
    assert body[0].block_type == "chapter" and body[0].value["title"] == "总则"
    assert body[1].block_type == "article"
    assert body[1].value["text"].startswith("为了规范电商运营管理行为")
    assert sum(block.block_type == "chapter" for block in body) >= 3
    assert sum(block.block_type == "article" for block in body) >= 10


def test_a_title_repeated_on_its_own_line_is_the_title_once(seed_run):
    # source line: 电商部门管理制度电商部门管理制度一、概述…
    assert not RegulationPage.objects.filter(title__contains="电商部门管理制度电商").exists()
    page = regulation("电商部门管理制度")
    first = next(iter(page.body))
    assert (first.block_type, first.value["title"]) == ("section", "概述")
    assert "电商部门管理制度电商部门管理制度" not in latest_text(page)


def test_a_rule_repeated_in_a_later_file_is_reported_as_a_duplicate(seed_run):
    title = "电商部人员规章制度"
    file_003 = next(f for f in seed_run.report["files"] if f["name"].startswith("003_"))
    duplicates = [doc for doc in file_003["documents"] if doc["action"] == "duplicate"]
    assert [doc["title"] for doc in duplicates] == [title]
    assert duplicates[0]["duplicate_of"]["title"] == title
    assert duplicates[0]["page_id"] is None
    original = RegulationPage.objects.get(pk=duplicates[0]["duplicate_of"]["page_id"])
    assert original.title == title
    assert original.source_file.startswith("002_")
    # not imported again: only the copies created from 002
    created = [d for d in documents_of(seed_run) if d["title"] == title and d["action"] == "created"]
    assert RegulationPage.objects.filter(title=title).count() == len(created)
    assert not RegulationPage.objects.filter(title=title, source_file__startswith="003_").exists()
    assert seed_run.duplicate_count == 1


def test_no_page_carries_download_site_boilerplate_or_pinyin(seed_run):
    pages = [*RegulationPage.objects.all(), *JobDescriptionPage.objects.all()]
    assert len(pages) == seed_run.created_count
    found = {}
    for page in pages:
        text = latest_text(page)
        hits = [marker for marker in BOILERPLATE if marker in text or marker in page.title]
        if hits:
            found[page.title] = hits
    assert found == {}


def test_everything_imported_is_an_unpublished_draft(seed_run):
    pages = [*RegulationPage.objects.all(), *JobDescriptionPage.objects.all()]
    assert pages
    published = [
        p.title
        for p in pages
        if p.live or not p.has_unpublished_changes or p.first_published_at or p.live_revision_id
    ]
    assert published == []


def test_importing_the_same_files_again_changes_nothing(seed_run, seed_files):
    pages, revisions = Page.objects.count(), Revision.objects.count()
    again = documents_import(files=seed_files)
    assert (again.created_count, again.updated_count, again.error_count) == (0, 0, 0)
    assert again.unchanged_count == seed_run.created_count
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions


def test_an_edited_copy_becomes_a_new_draft_of_the_same_page(seed_run, seed_paths):
    page = regulation(SHIYUAN)
    assert ORIGINAL_SENTENCE in latest_text(page)
    source = seed_paths[0]
    assert source.name.startswith("000_")
    text = source.read_text(encoding="utf-8")
    assert text.count(ORIGINAL_SENTENCE) == 1
    edited = text.replace(ORIGINAL_SENTENCE, EDITED_SENTENCE).encode("utf-8")
    pages, revisions = Page.objects.count(), Revision.objects.count()

    run = documents_import(files=[ImportFile(source.name, edited)])

    report = next(doc for doc in documents_of(run) if doc["title"] == SHIYUAN)
    assert report["action"] == "updated"
    assert report["page_id"] == page.pk
    assert run.created_count == 0 and run.updated_count == 1
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions + 1
    page.refresh_from_db()
    latest = latest_text(page)
    assert EDITED_SENTENCE in latest and ORIGINAL_SENTENCE not in latest
    assert page.document_number == "SYCW2010--005"
    assert not page.live and page.has_unpublished_changes


def test_the_command_prints_a_report_naming_the_documents_and_the_totals(db, seed_paths):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", *[str(p) for p in seed_paths], stdout=out, stderr=err)
    text = out.getvalue()
    for path in seed_paths:
        assert f"【{path.name}】" in text
    assert f"《{SHIYUAN}》" in text
    assert "《電商運營管理制度》" in text
    assert "SYCW2010--005" in text
    created = RegulationPage.objects.count() + JobDescriptionPage.objects.count()
    assert text.rstrip().splitlines()[-1] == (
        f"新建 {created}，更新 0，无变化 0，重复 1，出错文件 0。"
    )


def test_the_command_refuses_an_unknown_category(db, seed_paths):
    with pytest.raises(CommandError, match="不存在的分类"):
        call_command("import_documents", str(seed_paths[0]), "--category", "不存在的分类")
    assert not RegulationPage.objects.exists()


# --- the same files, parsed only (no database) ----------------------------------------------


def test_job_descriptions_keep_every_duty_the_source_lists(seed_paths):
    parsed = parse_file(name=seed_paths[0].name, data=seed_paths[0].read_bytes())
    document = next(doc for doc in parsed.documents if doc.title == SHIYUAN)
    duties = {jd.position: [d.rstrip("。;；") for d in jd.duties] for jd in document.job_descriptions}
    assert list(duties) == SHIYUAN_POSITIONS
    # 六、网页美工 lists three duties in the source (1、2、3、)
    assert duties["网页美工"] == [
        "及时完成电子商城美工设计,广告图片等处理",
        "电子商城风格掌控与设计",
        "上级交办的其他工作事项",
    ]
    assert [len(duties[p]) for p in SHIYUAN_POSITIONS] == [5, 4, 4, 3, 4, 3]
