"""The PDF renderer and verification codes: Chinese text with every font embedded and no
missing glyph, content that cannot fetch files or reach the network, and /verify/<code>/
telling a genuine file from an altered one without showing what a visitor may not see."""

import hashlib

import pymupdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from records.models import GeneratedDocument
from records.pdf import RefusedResource, font_css, missing_fonts, render_pdf, safe_url_fetcher
from records.verification import normalise_code, pdf_issue, qr_data_url, verification_url
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

SAMPLE = "关于印发《员工考勤管理制度》的通知 員工守則 第十二条"


def page_html(body: str) -> str:
    return (
        f"<html><head><style>{font_css()} body {{ font-family: var(--font-body); }}"
        "h1 { font-family: var(--font-title); font-weight: bold; }</style></head>"
        f"<body>{body}</body></html>"
    )


def opened(pdf: bytes) -> pymupdf.Document:
    return pymupdf.open(stream=pdf, filetype="pdf")


def test_the_fonts_the_templates_name_are_installed():
    assert missing_fonts() == []


def drawn_characters(pdf: bytes) -> list[tuple[str, int]]:
    """(character, glyph id) of everything drawn on page 1; glyph 0 is .notdef (missing)."""
    return [
        (chr(char[0]), char[1]) for span in opened(pdf)[0].get_texttrace() for char in span["chars"]
    ]


def missing_glyphs(pdf: bytes, text: str) -> set[str]:
    drawn = dict(drawn_characters(pdf))
    return {ch for ch in text if not ch.isspace() and drawn.get(ch, 0) == 0}


def test_chinese_renders_with_embedded_fonts_and_no_missing_glyph():
    pdf = render_pdf(page_html(f"<h1>华茂电子商务有限公司文件</h1><p>{SAMPLE}</p>"))
    document = opened(pdf)
    text = document[0].get_text()
    assert "华茂电子商务有限公司文件" in text and SAMPLE in text.replace("\n", "")
    fonts = document[0].get_fonts(full=True)
    assert fonts and all(font[1] != "n/a" for font in fonts)  # every font has a file: embedded
    assert missing_glyphs(pdf, SAMPLE + "华茂电子商务有限公司文件") == set()  # simplified and 繁體


def test_the_glyph_check_sees_a_character_no_font_has():
    rare = "\U00020000"  # CJK Extension B: in none of the installed fonts
    assert missing_glyphs(render_pdf(page_html(f"<p>员工{rare}</p>")), f"员工{rare}") == {rare}


def test_page_one_is_not_blank():
    pdf = render_pdf(page_html("<h1>签收回执</h1><p>本人已阅读并理解上述制度。</p>"))
    pixmap = opened(pdf)[0].get_pixmap(dpi=50)
    samples = pixmap.samples
    assert any(samples[i] < 128 for i in range(0, len(samples), pixmap.n))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/secret.png",
        "https://example.com/tracker.png",
        "ftp://example.com/x.png",
        "https://zhidu.local/static/../../../../etc/passwd",
        "https://zhidu.local/media/../../etc/hostname",
        "https://zhidu.local/etc/passwd",
        "https://other.local/static/zhidu/zhidu.css",
    ],
)
def test_content_can_neither_read_files_nor_reach_the_network(url):
    with pytest.raises((RefusedResource, ValueError)):
        safe_url_fetcher().fetch(url)


def test_hostile_images_are_skipped_and_the_pdf_still_renders(monkeypatch, tmp_path):
    opened_urls = []
    monkeypatch.setattr(
        "urllib.request.urlopen",
        lambda *a, **k: opened_urls.append(a) or (_ for _ in ()).throw(OSError),
    )
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-MARKER")
    body = (
        f'<p>正文</p><img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
        '<img src="/static/../../etc/passwd"><img src="//evil.example/x.png">'
        f'<link rel="stylesheet" href="file://{secret}">'
    )
    pdf = render_pdf(page_html(body))
    assert "正文" in opened(pdf)[0].get_text()
    assert b"TOPSECRET-MARKER" not in pdf and not opened_urls


def test_our_own_static_files_and_data_images_are_allowed():
    css = safe_url_fetcher().fetch("https://zhidu.local/static/zhidu/zhidu.css")
    assert css.headers.get_content_type() == "text/css" and css.read()
    qr = qr_data_url("https://zhidu.example/verify/ABC/")
    assert safe_url_fetcher().fetch(qr).read().startswith(b"<?xml")


def issue(**options):
    values = {
        "kind": GeneratedDocument.Kind.RECEIPT,
        "title": "签收回执：员工考勤管理制度 V2.0",
        "number": "HM-RS-001",
        "version": "V2.0",
        "classification": 0,
    }
    values.update(options)

    def html_for(record):
        return page_html(
            f"<p>{values['title']}</p><p>验证码 {record.code}</p>"
            f'<img src="{qr_data_url(verification_url(record.code))}" width="80">'
        )

    return pdf_issue(html_for=html_for, **values)


def test_a_generated_pdf_prints_its_code_and_records_its_digest():
    issued = issue()
    record = issued.record
    assert record.sha256 == hashlib.sha256(issued.pdf).hexdigest() and record.size == len(
        issued.pdf
    )
    assert record.code in opened(issued.pdf)[0].get_text()
    assert verification_url(record.code).endswith(f"/verify/{record.code}/")


def test_the_verify_page_tells_a_genuine_file_from_an_altered_one(client):
    issued = issue()
    url = reverse("verify_document", args=[issued.record.code])
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert issued.record.code in page
    genuine = client.post(
        url, {"file": SimpleUploadedFile("a.pdf", issued.pdf)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Genuine and unaltered" in genuine.content.decode()
    altered = bytearray(issued.pdf)
    altered[len(altered) // 2] ^= 0x01  # one bit changed, as an edited file would differ
    altered = bytes(altered)
    response = client.post(
        url, {"file": SimpleUploadedFile("a.pdf", altered)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Does not match" in response.content.decode()
    by_digest = client.post(
        url, {"sha256": issued.record.sha256.upper()}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Genuine and unaltered" in by_digest.content.decode()


def test_unknown_codes_are_404_and_typed_codes_are_forgiven(client):
    assert client.get(reverse("verify_document", args=["ZZZZZZZZZZZZ"])).status_code == 404
    issued = issue()
    typed = " ".join([issued.record.code[:6].lower(), issued.record.code[6:]])
    response = client.get(reverse("verify_lookup"), {"code": typed})
    assert response.status_code == 302 and response.url.endswith(f"/verify/{issued.record.code}/")
    assert normalise_code("abc-def o1") == "ABCDEF01"


def test_a_visitor_below_the_documents_level_learns_only_that_it_is_genuine(client):
    issued = issue(title="薪酬调整通知（机密）", classification=3)
    url = reverse("verify_document", args=[issued.record.code])
    assert "薪酬调整通知" not in client.get(url).content.decode()  # anonymous
    client.force_login(EmployeeFactory(clearance=1).user)
    assert "薪酬调整通知" not in client.get(url).content.decode()
    client.force_login(EmployeeFactory(clearance=3).user)
    assert "薪酬调整通知" in client.get(url).content.decode()
    genuine = client.post(url, {"file": SimpleUploadedFile("a.pdf", issued.pdf)})
    assert genuine.status_code == 200 and "verify-ok" in genuine.content.decode()
