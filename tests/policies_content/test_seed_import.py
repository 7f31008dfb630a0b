"""Importing the five real scraped seed files (../shared/seeds).

The seeds are what HR really download: several rules per file, titles glued to the text,
download-site boilerplate, page markers, pinyin annotations, traditional characters. Tests
that need them skip, saying so, when the folder is absent. A full import of all five takes
a few seconds, so only the tests about pages import; the structure is checked on parse_file.
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

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
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
def seed_paths(seeds_dir) -> list[Path]:
    paths = sorted(seeds_dir.glob("*.txt"))
    assert [p.name[:4] for p in paths] == ["000_", "001_", "002_", "003_", "004_"]
    return paths


@pytest.fixture
def seed_files(seed_paths) -> list[ImportFile]:
    return [ImportFile(path.name, path.read_bytes()) for path in seed_paths]


@pytest.fixture
def seed_run(db, seed_files):
    """All five seeds imported in one run into an empty library."""
    return documents_import(files=seed_files)


@pytest.fixture(scope="module")
def parsed_seeds() -> dict:
    """file name → ParsedFile, for the checks that need no database."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"seed files not present: {SEEDS} (see README: ../shared/seeds)")
    return {
        path.name: parse_file(name=path.name, data=path.read_bytes())
        for path in sorted(SEEDS.glob("*.txt"))
    }


def parsed(parsed_seeds, prefix: str, title: str) -> list:
    """The documents called ``title`` in the seed file whose name starts with ``prefix``."""
    file = next(f for name, f in parsed_seeds.items() if name.startswith(prefix))
    return [doc for doc in file.documents if doc.title == title]


def documents_of(run) -> list[dict]:
    return [doc for file in run.report["files"] for doc in file["documents"]]


def latest_text(page) -> str:
    return canonical_text(page_to_parsed(page.specific.get_latest_revision_as_object()))


# --- one import of all five files -----------------------------------------------------------


def test_all_seeds_import_in_one_run_as_titled_regulations_and_job_descriptions(seed_run):
    assert [file["error"] for file in seed_run.report["files"]] == [""] * 5
    assert all(file["documents"] for file in seed_run.report["files"])
    titles = set(RegulationPage.objects.values_list("title", flat=True))
    assert {
        SHIYUAN,
        "電商運營管理制度",
        "电商运营管理制度",
        "电商部门管理制度",
        "电商部人员规章制度",
        "电子商务部规章制度",
    } <= titles
    assert RegulationPage.objects.count() > 40  # several rules per file, each its own page

    page = RegulationPage.objects.get(title=SHIYUAN)
    assert page.document_number == "SYCW2010--005"
    assert page.version == "V1.0"
    assert page.effective_date.isoformat() == "2011-02-24"
    # 编制: / 审核: / 批准: are blank in the source and stay blank
    assert (page.prepared_by, page.reviewed_by, page.approved_by) == ("", "", "")
    report = next(doc for doc in documents_of(seed_run) if doc["title"] == SHIYUAN)
    assert (report["action"], report["page_id"]) == ("created", page.pk)
    assert report["metadata"] == {
        "document_number": "SYCW2010--005",
        "version": "V1.0",
        "effective_date": "2011-02-24",
    }

    jds = JobDescriptionPage.objects.filter(source_regulation=page).order_by("pk")
    assert [jd.position_title for jd in jds] == SHIYUAN_POSITIONS
    assert [jd.title for jd in jds] == [f"{p}岗位说明书" for p in SHIYUAN_POSITIONS]
    designer = jds.get(position_title="网页美工")
    assert "电子商城风格掌控与设计" in [str(block.value) for block in designer.duties]
    manager = jds.get(position_title="电子商务主管")
    assert any("维护合作伙伴关系" in str(block.value) for block in manager.duties)

    # 电商部人员规章制度 appears again in 003: reported as a duplicate, not imported again
    title = "电商部人员规章制度"
    file_003 = next(f for f in seed_run.report["files"] if f["name"].startswith("003_"))
    duplicates = [doc for doc in file_003["documents"] if doc["action"] == "duplicate"]
    assert [doc["title"] for doc in duplicates] == [title]
    assert duplicates[0]["duplicate_of"]["title"] == title
    assert duplicates[0]["page_id"] is None
    twin = RegulationPage.objects.get(pk=duplicates[0]["duplicate_of"]["page_id"])
    assert twin.title == title and twin.source_file.startswith("002_")
    assert not RegulationPage.objects.filter(title=title, source_file__startswith="003_").exists()
    created = [
        d for d in documents_of(seed_run) if d["title"] == title and d["action"] == "created"
    ]
    assert RegulationPage.objects.filter(title=title).count() == len(created)
    assert seed_run.duplicate_count == 1


def test_imported_pages_are_clean_unpublished_drafts(seed_run):
    pages = [*RegulationPage.objects.all(), *JobDescriptionPage.objects.all()]
    assert len(pages) == seed_run.created_count > 40
    dirty = {}
    for page in pages:
        text = latest_text(page)
        hits = [marker for marker in BOILERPLATE if marker in text or marker in page.title]
        if hits:
            dirty[page.title] = hits
    assert dirty == {}
    published = [
        page.title
        for page in pages
        if page.live
        or not page.has_unpublished_changes
        or page.first_published_at
        or page.live_revision_id
    ]
    assert published == []


def test_importing_the_same_files_again_changes_nothing(seed_run, seed_files):
    pages, revisions = Page.objects.count(), Revision.objects.count()
    again = documents_import(files=seed_files)
    assert (again.created_count, again.updated_count, again.error_count) == (0, 0, 0)
    # every document is recognised, the 003 copy of 电商部人员规章制度 as its 002 twin
    assert again.unchanged_count == seed_run.created_count + seed_run.duplicate_count
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions


# --- fewer files where all five are not needed ----------------------------------------------


def test_an_edited_copy_becomes_a_new_draft_of_the_same_page(db, seed_paths):
    source = seed_paths[0]
    text = source.read_text(encoding="utf-8")
    assert text.count(ORIGINAL_SENTENCE) == 1
    documents_import(files=[ImportFile(source.name, source.read_bytes())])
    page = RegulationPage.objects.get(title=SHIYUAN)
    assert ORIGINAL_SENTENCE in latest_text(page)
    pages, revisions = Page.objects.count(), Revision.objects.count()

    edited = text.replace(ORIGINAL_SENTENCE, EDITED_SENTENCE).encode("utf-8")
    run = documents_import(files=[ImportFile(source.name, edited)])

    report = next(doc for doc in documents_of(run) if doc["title"] == SHIYUAN)
    assert (report["action"], report["page_id"]) == ("updated", page.pk)
    assert (run.created_count, run.updated_count) == (0, 1)
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions + 1
    page.refresh_from_db()
    latest = latest_text(page)
    assert EDITED_SENTENCE in latest and ORIGINAL_SENTENCE not in latest
    assert page.document_number == "SYCW2010--005"
    assert not page.live and page.has_unpublished_changes


def test_the_command_prints_a_report_naming_the_documents_and_the_totals(db, seed_paths):
    paths = [seed_paths[0], seed_paths[4]]
    out = io.StringIO()
    call_command("import_documents", *map(str, paths), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert f"【{paths[0].name}】" in text and f"【{paths[1].name}】" in text
    assert f"《{SHIYUAN}》" in text
    assert "《電商運營管理制度》" in text
    assert "《网页美工岗位说明书》" in text
    assert "文件编号：SYCW2010--005" in text
    created = RegulationPage.objects.count() + JobDescriptionPage.objects.count()
    assert created > 10
    assert (
        text.rstrip().splitlines()[-1] == f"新建 {created}，更新 0，无变化 0，重复 0，出错文件 0。"
    )


def test_the_command_refuses_an_unknown_category(db, seed_paths):
    with pytest.raises(CommandError, match="不存在的分类"):
        call_command("import_documents", str(seed_paths[0]), "--category", "不存在的分类")
    assert not RegulationPage.objects.exists()


# --- the structure found in the seeds (parse only) ------------------------------------------


def test_traditional_chinese_regulation_keeps_its_characters_and_loses_its_pinyin(parsed_seeds):
    [document] = parsed(parsed_seeds, "004_", "電商運營管理制度")
    sections = [block.text for block in document.blocks if block.kind == "section"]
    assert sections[:2] == ["引言", "運營管理原則"]
    assert "附則" in sections
    text = canonical_text(document)
    assert "二、運營管理原則" in text
    assert "1.合法合規:運營活動必須遵守國家法律法規" in text
    assert "(yùn)" not in text and "(guī)" not in text and "(yíng)" not in text


def test_title_run_into_the_first_chapter_is_split_from_it(parsed_seeds):
    # source line: 电商运营管理制度大全第一章总则第一条为了规范电商运营管理行为,…
    documents = parsed(parsed_seeds, "002_", "电商运营管理制度")
    document = next(doc for doc in documents if "为了规范电商运营管理行为" in canonical_text(doc))
    assert (document.blocks[0].kind, document.blocks[0].text) == ("chapter", "总则")
    assert document.blocks[1].kind == "article"
    assert document.blocks[1].text.startswith("为了规范电商运营管理行为")
    assert sum(block.kind == "chapter" for block in document.blocks) >= 3
    assert sum(block.kind == "article" for block in document.blocks) >= 10


def test_a_title_repeated_on_its_line_is_the_title_once(parsed_seeds):
    # source line: 电商部门管理制度电商部门管理制度一、概述…
    all_titles = [doc.title for f in parsed_seeds.values() for doc in f.documents]
    assert not [title for title in all_titles if "电商部门管理制度电商" in title]
    [document] = parsed(parsed_seeds, "002_", "电商部门管理制度")
    assert (document.blocks[0].kind, document.blocks[0].text) == ("section", "概述")
    assert "电商部门管理制度电商部门管理制度" not in canonical_text(document)


def test_job_descriptions_keep_every_duty_the_source_lists(parsed_seeds):
    [document] = parsed(parsed_seeds, "000_", SHIYUAN)
    duties = {
        jd.position: [d.rstrip("。;；") for d in jd.duties] for jd in document.job_descriptions
    }
    assert list(duties) == SHIYUAN_POSITIONS
    # 六、网页美工 lists three duties in the source: 1、… 2、电子商城风格掌控与设计 3、上级交办的…
    assert duties["网页美工"] == [
        "及时完成电子商城美工设计,广告图片等处理",
        "电子商城风格掌控与设计",
        "上级交办的其他工作事项",
    ]
    assert [len(duties[p]) for p in SHIYUAN_POSITIONS] == [5, 4, 4, 3, 4, 3]
