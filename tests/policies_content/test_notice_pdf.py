"""印发通知 as GB/T 9704-2012 lays it out, read back from the PDF: the wording, the page and
text-block geometry (within ±1 mm), the 22-line grid, fonts embedded with no missing glyph,
and the verification code; who may have it."""

import datetime
import io
from pathlib import Path

import pymupdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage, Urgency
from records.models import AuditAction, AuditEntry, GeneratedDocument, NoticeSettings
from records.roles import POLICY_EDITOR
from tests.factories import CompanyFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
TODAY = timezone.localdate()
TOP, BINDING, OUTER, BLOCK_HEIGHT = 37, 28, 26, 225  # mm
LINE = BLOCK_HEIGHT / 22


def article(text):
    return ("article", {"text": text, "clauses": []})


def regulation(*, articles=40, level=1, number="HM-RS-2026-009"):
    page = RegulationPage(
        title="员工考勤管理制度",
        document_number=number,
        issuance_number="华茂人〔2026〕9号",
        classification=level,
        body=[
            article(
                f"员工应当遵守公司考勤规定，按时上下班，不得迟到早退，第{n}项要求由综合部负责解释并监督执行。"
            )
            for n in range(1, articles + 1)
        ],
        effective_date=TODAY + datetime.timedelta(days=7),
        change_summary="首次发布",
        distribution_all_staff=True,
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    return IssuedVersion.objects.get(page_id=page.pk)


@pytest.fixture
def reader(client):
    CompanyFactory(name="华茂电子商务有限公司")
    person = EmployeeFactory(clearance=2)
    client.force_login(person.user)
    return client


def notice_of(client, version) -> bytes:
    url = reverse("version_notice_pdf", args=[version.document_number, version.url_version])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def body_lines(page):
    """Text lines of the page's text block (the page number below it left out)."""
    found = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if text and not text.startswith("—"):
                found.append((line["bbox"], text))
    return found


def test_the_notice_says_what_gb_t_9704_asks(reader):
    version = regulation()
    pdf = notice_of(reader, version)
    document = pymupdf.open(stream=pdf, filetype="pdf")
    first = document[0].get_text().replace("\n", "")
    effective = version.effective_date
    for expected in (
        "华茂电子商务有限公司文件",
        "华茂人〔2026〕9号",
        "关于印发《员工考勤管理制度》的通知",
        "公司各部门：",
        f"现将《员工考勤管理制度》印发给你们，自{effective.year}年{effective.month}月{effective.day}日起施行",
        "附件：《员工考勤管理制度》",
        "（印章）",
    ):
        assert expected in first, expected
    everything = "".join(page.get_text() for page in document).replace("\n", "")
    assert "第一条" in everything and "第四十条" in everything  # the regulation as 附件
    assert "— 1 —" in document[0].get_text() and "— 2 —" in document[1].get_text()
    record = GeneratedDocument.objects.get(kind="publication_notice")
    assert record.code in everything and record.number == version.document_number
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("sequence")
    assert entry.details["code"] == record.code


def test_the_page_and_text_block_geometry_within_one_millimetre(reader):
    document = pymupdf.open(stream=notice_of(reader, regulation()), filetype="pdf")
    assert len(document) >= 4
    for number, page in enumerate(document, start=1):
        assert abs(page.rect.width / MM - 210) <= 1 and abs(page.rect.height / MM - 297) <= 1
        lines = body_lines(page)
        left = min(bbox[0] for bbox, _ in lines) / MM
        right = max(bbox[2] for bbox, _ in lines) / MM
        top = min(bbox[1] for bbox, _ in lines) / MM
        bottom = max(bbox[3] for bbox, _ in lines) / MM
        inner = BINDING if number % 2 else OUTER  # 订口 on the left of odd pages
        if number < len(document):  # the last page may hold only the 版记, set lower
            assert abs(left - inner) <= 1, (number, left)
            assert TOP - 1 <= top <= TOP + LINE, (number, top)
        assert right <= inner + 156 + 1, (number, right)
        assert top >= TOP - 1, (number, top)
        assert bottom <= TOP + BLOCK_HEIGHT + 1, (number, bottom)
    # A full page of the 附件 holds 22 lines, its justified lines reaching the block's edge.
    counts = [len({round(b[1], 1) for b, _ in body_lines(page)}) for page in document]
    assert max(counts) == 22
    full = document[counts.index(22)]
    assert max(b[2] for b, _ in body_lines(full)) / MM >= 184 - 1 - (BINDING - OUTER)


def test_fonts_are_embedded_no_glyph_is_missing_and_page_one_is_not_blank(reader):
    pdf = notice_of(reader, regulation(articles=5))
    document = pymupdf.open(stream=pdf, filetype="pdf")
    for page in document:
        assert all(font[1] != "n/a" for font in page.get_fonts(full=True))
        for span in page.get_texttrace():
            assert all(char[1] != 0 for char in span["chars"] if not chr(char[0]).isspace())
    pixmap = document[0].get_pixmap(dpi=40)
    reds = sum(
        1
        for i in range(0, len(pixmap.samples), pixmap.n)
        if pixmap.samples[i] > 180 and pixmap.samples[i + 1] < 90
    )
    assert reds > 50  # the red 发文机关标志 and rule


def test_the_notice_follows_the_access_policy_and_the_level_rules(client, reader):
    secret = regulation(level=3, number="HM-RS-2026-010")
    url = reverse("version_notice_pdf", args=[secret.document_number, secret.url_version])
    assert reader.get(url).status_code == 404  # clearance 2 < 机密
    cleared = EmployeeFactory(clearance=3)
    client.force_login(cleared.user)
    assert client.get(url).status_code == 403  # 机密: no download (ZHIDU_LEVEL_RESTRICTIONS)
    assert not GeneratedDocument.objects.exists()


def test_the_printable_regulation_carries_its_level_and_the_readers_watermark(client):
    CompanyFactory(name="华茂电子商务有限公司")
    version = regulation(articles=8, level=2, number="HM-RS-2026-011")  # 秘密
    person = EmployeeFactory(clearance=2, name="李秘书")
    client.force_login(person.user)
    detail = client.get(
        reverse("version_detail", args=[version.document_number, version.url_version])
    ).content.decode()
    url = reverse("version_pdf", args=[version.document_number, version.url_version])
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200
    document = pymupdf.open(stream=response.content, filetype="pdf")
    text = "".join(page.get_text() for page in document).replace("\n", "")
    assert "员工考勤管理制度" in text and "第八条" in text and "秘密" in text
    assert "李秘书" in text and person.employee_number in text  # the watermark
    assert GeneratedDocument.objects.get(kind="regulation").code in text
    assert all(font[1] != "n/a" for page in document for font in page.get_fonts(full=True))


def test_the_revision_notice_lists_the_clause_level_changes(reader):
    first = regulation(articles=3, number="HM-RS-2026-012")
    page = RegulationPage.objects.get(pk=first.page_id)
    page.body = [
        article(
            "员工应当遵守公司考勤规定，按时上下班，不得迟到早退，第1项要求由综合部负责解释并监督执行。"
        ),
        article(  # 第二条 changed: another department answers for it
            "员工应当遵守公司考勤规定，按时上下班，不得迟到早退，第2项要求由人力资源部负责解释并监督执行。"
        ),
        article("员工请假须提前一个工作日在系统中提交申请。"),  # 第三条 replaced
        article("本制度自发布之日起施行。"),  # 第四条 added
    ]
    page.change_kind, page.change_summary = "major", "调整迟到处理并新增施行条款"
    page.save_revision().publish()
    second = IssuedVersion.objects.filter(page_id=page.pk).order_by("-major", "-minor").first()
    url = reverse("version_revision_notice_pdf", args=[second.document_number, second.url_version])
    detail = reader.get(
        reverse("version_detail", args=[second.document_number, second.url_version])
    ).content.decode()
    assert url in detail
    response = reader.get(url)
    assert response.status_code == 200
    text = "".join(
        p.get_text() for p in pymupdf.open(stream=response.content, filetype="pdf")
    ).replace("\n", "")
    assert "关于印发修订后的《员工考勤管理制度》的通知" in text
    assert "主要修订内容如下：" in text
    assert "新增第四条：本制度自发布之日起施行。" in text
    assert "第二条修改为：员工应当遵守公司考勤规定" in text
    assert "删除原第三条：" in text
    assert "原《员工考勤管理制度》（V1.0）同时停止执行。" in text
    assert GeneratedDocument.objects.get(kind="revision_notice").code in text
    first_url = reverse(
        "version_revision_notice_pdf", args=[first.document_number, first.url_version]
    )
    assert reader.get(first_url).status_code == 404  # nothing before V1.0


def seal_png(side=300) -> bytes:
    """A red ring on a transparent background, as a scanned seal is prepared."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse(
        (10, 10, side - 10, side - 10), outline=(220, 0, 0, 255), width=12
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def hr_client(client):
    CompanyFactory(name="华茂电子商务有限公司")
    person = EmployeeFactory(clearance=2, user=UserFactory(roles=[POLICY_EDITOR]))
    client.force_login(person.user)
    return client


SETTINGS_URL = "/admin/settings/records/noticesettings/"


def test_hr_set_the_seal_and_copies_to_and_the_notice_prints_them_with_its_urgency(hr_client):
    page = hr_client.get(SETTINGS_URL, follow=True)
    assert 'enctype="multipart/form-data"' in page.content.decode()
    seal = SimpleUploadedFile("公章.png", seal_png(), content_type="image/png")
    response = hr_client.post(
        page.request["PATH_INFO"], {"seal": seal, "copies_to": "董事会、监事会"}
    )
    assert response.status_code == 302
    version = regulation(articles=3, number="HM-RS-2026-013")
    RegulationPage.objects.filter(pk=version.page_id).update(urgency=Urgency.URGENT)

    document = pymupdf.open(stream=notice_of(hr_client, version), filetype="pdf")
    first = document[0].get_text().replace("\n", "")
    assert "加急" in first
    assert "（印章）" not in first  # the outline gives way to the image
    assert len(document[0].get_images()) == 1  # the seal (the QR code is drawn, not an image)
    everything = "".join(p.get_text() for p in document).replace("\n", "")
    assert "抄送：董事会、监事会" in everything
    stored = NoticeSettings.load().seal
    # kept with the evidence files, outside MEDIA_ROOT: no URL reaches it
    assert Path(stored.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)


@pytest.mark.parametrize(
    "upload, message",
    [
        (b"\xff\xd8\xff\xe0 not a png", "印章图片须为透明背景的 PNG 文件。"),
        (b"\x89PNG\r\n\x1a\n broken", "印章图片无法作为 PNG 文件读取。"),
        ("small", "印章图片每边须在 200 至 4000 像素之间。"),
    ],
)
def test_a_seal_that_is_no_usable_png_is_refused_with_a_clear_message(hr_client, upload, message):
    data = seal_png(side=100) if upload == "small" else upload
    seal = SimpleUploadedFile("seal.png", data, content_type="image/png")
    edit = hr_client.get(SETTINGS_URL, follow=True).request["PATH_INFO"]
    response = hr_client.post(edit, {"seal": seal, "copies_to": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NoticeSettings.load().seal


def test_staff_cannot_change_the_notice_settings(client):
    person = EmployeeFactory()
    client.force_login(person.user)
    response = client.get(SETTINGS_URL)
    assert response.status_code in (302, 403)
    assert response["Location"].startswith("/admin/login/")
