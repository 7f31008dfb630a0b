"""Media in S3-compatible storage (ZHIDU_S3_BUCKET), against moto's in-process S3.

Public media (Wagtail documents and images) get plain, unsigned addresses under the media
prefix — documents still pass through the app; evidence files (scans of paper signatures and
contracts, the seal, receipt ZIPs) go to the private prefix with no ACL and no address at all,
and reach a user only through the views that ask the access policy.
"""

import os
import sys

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws
from wagtail.documents import get_document_model

from policies_content.models import Acknowledgement, ReceiptBatch, ReceiptBatchItem
from records.contracts import contract_attachment_add
from records.models import ContractAttachment, NoticeSettings
from records.pdf import local_resource
from records.roles import POLICY_EDITOR
from records.storage import private_storage
from search.record_indexing import contract_entries
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory, UserFactory
from tests.policies_content.test_acknowledgement import (
    document,
    employee,
    paper_signature,
    scan_served_only_to,
)
from tests.policies_content.test_receipt_batches import read_zip, start
from tests.policies_content.test_receipt_batches import story as receipts_story
from tests.records.contract_helpers import hr_user, make_contract
from zhidu.settings.media import PRIVATE_S3_BACKEND, S3_BACKEND, s3_storage_options

pytestmark = pytest.mark.django_db

BUCKET = "zhidu-files"
ENVIRONMENT = {
    "ZHIDU_S3_BUCKET": BUCKET,
    "ZHIDU_S3_REGION": "us-east-1",
    "ZHIDU_S3_ACCESS_KEY_ID": "testing",
    "ZHIDU_S3_SECRET_ACCESS_KEY": "testing",
    "ZHIDU_S3_PUBLIC_URL": "https://zhidu.example.com",
}
PRIVATE_FIELDS = [
    (Acknowledgement, "proxy_scan"),
    (ContractAttachment, "file"),
    (NoticeSettings, "seal"),
    (ReceiptBatch, "archive"),
    (ReceiptBatchItem, "pdf"),
]


story = receipts_story  # four signatures of one regulation, one of them on paper (代签)


@pytest.fixture
def s3_environment(monkeypatch):
    for name in [n for n in os.environ if n.startswith("ZHIDU_S3_")]:
        monkeypatch.delenv(name)
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def s3(s3_environment, monkeypatch, settings):
    """The settings as ZHIDU_S3_BUCKET makes them, over a moto bucket; the evidence fields'
    storage (chosen once, when the models load) switched to the private S3 storage."""
    with mock_aws():
        client = boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=BUCKET)
        public, private = s3_storage_options()
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
            "private": {"BACKEND": PRIVATE_S3_BACKEND, "OPTIONS": private},
        }
        storage = private_storage()
        for model, name in PRIVATE_FIELDS:
            monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
        yield client


def keys(client, prefix="") -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def public_grants(client, key) -> list:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]


# -- the settings ---------------------------------------------------------------------------------


def test_s3_options_keep_public_media_and_evidence_apart(s3_environment, monkeypatch):
    public, private = s3_storage_options()
    assert (public["bucket_name"], public["location"]) == (BUCKET, "media")
    assert (private["bucket_name"], private["location"]) == (BUCKET, "private")
    assert public["querystring_auth"] is False
    assert public["custom_domain"] == "zhidu.example.com" and public["url_protocol"] == "https:"
    for options in (public, private):
        assert options["default_acl"] is None  # never an ACL: the bucket's policy decides
        assert options["file_overwrite"] is False  # a second scan never replaces the first
    monkeypatch.setenv("ZHIDU_S3_PRIVATE_BUCKET", "zhidu-evidence")
    assert s3_storage_options()[1]["bucket_name"] == "zhidu-evidence"


@pytest.mark.parametrize(
    ("media", "private"), [("files", "files"), ("", "private"), ("media", "media/private")]
)
def test_evidence_may_never_sit_under_the_public_prefix(
    s3_environment, monkeypatch, media, private
):
    monkeypatch.setenv("ZHIDU_S3_MEDIA_PREFIX", media)
    monkeypatch.setenv("ZHIDU_S3_PRIVATE_PREFIX", private)
    with pytest.raises(ImproperlyConfigured, match="ZHIDU_S3_PRIVATE_PREFIX"):
        s3_storage_options()
    monkeypatch.setenv("ZHIDU_S3_PRIVATE_BUCKET", "zhidu-evidence")  # another bucket: fine
    assert s3_storage_options()[1]["location"] == private


def test_s3_without_the_extra_installed_is_refused_with_what_to_install(
    s3_environment, monkeypatch
):
    monkeypatch.setitem(sys.modules, "storages.backends.s3", None)  # import fails
    with pytest.raises(ImproperlyConfigured, match=r"s3 extra.*pip install"):
        s3_storage_options()


def test_without_a_bucket_files_stay_on_disk(monkeypatch, settings):
    monkeypatch.delenv("ZHIDU_S3_BUCKET", raising=False)
    assert s3_storage_options() is None
    storage = private_storage()
    assert type(storage).__name__ == "FileSystemStorage"
    assert storage.location == str(settings.PRIVATE_MEDIA_ROOT)


# -- evidence: private prefix, no URL, only through the views -----------------------------------


def test_a_paper_signature_scan_is_private_in_s3_and_served_only_through_the_view(s3, client):
    sales = DepartmentFactory(name="销售部", parent=CompanyFactory())
    person, other = employee(sales), employee(sales)
    hr = EmployeeFactory(
        department=sales, user=UserFactory(username="hr-s3", roles=[POLICY_EDITOR])
    )
    page = document(distribution_all_staff=True)
    ack = paper_signature(person, page, hr)
    stored = keys(s3, "private/")
    assert stored == [f"private/{ack.proxy_scan.name}"]
    assert keys(s3, "media/") == []
    assert public_grants(s3, stored[0]) == []
    address = ack.proxy_scan.url
    assert BUCKET not in address and "amazonaws" not in address and "Signature" not in address
    client.force_login(hr.user)
    assert client.get(address).status_code == 404  # the address leads nowhere

    scan_served_only_to(client, ack, allowed=[person.user, hr.user], refused=[other.user])

    # the same file name again is stored beside it, never over someone's evidence
    again = paper_signature(other, page, hr, content=b"%PDF-1.4 another")
    assert again.proxy_scan.name != ack.proxy_scan.name
    assert len(keys(s3, "private/")) == 2
    with ack.proxy_scan.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 paper"


def test_a_contract_scan_in_s3_is_downloaded_and_indexed_through_the_storage(s3, client):
    hr = hr_user()
    contract = make_contract(user=hr)
    pdf = b"%PDF-1.4\n% scanned contract\n"
    attachment = contract_attachment_add(
        user=hr, contract=contract, upload=SimpleUploadedFile("合同扫描件.pdf", pdf)
    )
    assert keys(s3, "private/") == [f"private/{attachment.file.name}"]
    client.force_login(hr)
    download = client.get(reverse("contract_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert contract_entries(contract.pk)  # the scan was read through the storage API


def test_the_seal_is_read_from_private_s3_and_a_missing_object_is_no_seal(s3, settings):
    from tests.policies_content.test_notice_pdf import seal_png

    notice = NoticeSettings.load()
    notice.seal.save("公章.png", ContentFile(seal_png()), save=True)
    [key] = keys(s3, "private/seal/")
    assert NoticeSettings.load().seal_png() == seal_png()
    s3.delete_object(Bucket=BUCKET, Key=key)
    assert NoticeSettings.load().seal_png() is None


def test_receipts_zip_is_built_and_downloaded_through_private_s3(
    s3, client, request, django_capture_on_commit_callbacks
):
    story = request.getfixturevalue("story")
    client.force_login(story["hr"])
    start(client, story["page"], django_capture_on_commit_callbacks)
    batch = ReceiptBatch.objects.get()
    assert batch.state == ReceiptBatch.State.DONE
    # the single receipts were deleted once in the ZIP; the ZIP (and the proxy scan) remain
    stored = keys(s3, "private/receipt-batches/")
    assert stored == [f"private/{batch.archive.name}"]  # the items' PDFs went into the ZIP
    assert len(read_zip(client, batch).namelist()) == 5  # 4 receipts and 清单.csv


# -- public media: plain addresses, documents through the app ------------------------------------


def test_public_media_have_plain_addresses_and_documents_pass_through_the_app(s3, client):
    Document = get_document_model()
    doc = Document.objects.create(
        title="附件一", file=ContentFile(b"attachment text", name="attachment.txt")
    )
    assert keys(s3, "media/") == [f"media/{doc.file.name}"]
    assert doc.file.url == f"https://zhidu.example.com/media/{doc.file.name}"
    assert "Signature" not in doc.file.url
    response = client.get(doc.url)
    assert response.status_code == 200  # served by the app, not a redirect to the bucket
    assert b"".join(response.streaming_content) == b"attachment text"


def test_pdf_renderer_reads_public_media_from_s3_and_nothing_else(s3):
    Document = get_document_model()
    doc = Document.objects.create(title="图", file=ContentFile(b"PNGDATA", name="figure.png"))
    name, data = local_resource(f"https://zhidu.local/media/{doc.file.name}")
    assert (name, data) == ("figure.png", b"PNGDATA")
    private = private_storage().save("secret.txt", ContentFile(b"evidence"))
    for url in (
        f"https://zhidu.local/media/../private/{private}",
        "https://zhidu.local/media/missing.png",
    ):
        with pytest.raises(ValueError):
            local_resource(url)
