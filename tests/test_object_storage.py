"""The files of a portal on several nodes: with PORTAL_S3_BUCKET set, every private file goes to an
S3-compatible object store, here a real one (moto's server) listening on 127.0.0.1, and nothing is written to
the local folder. Uploads, downloads and generated documents go through the real views, services and tasks."""

import io

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from openpyxl import load_workbook

from portal.settings.base import file_storages
from proposals.models import Attachment, Decision, Proposal
from reports import services as report_services
from reports import tasks as report_tasks
from reports.models import AnnualReviewReport
from tests.helpers import PDF, approve, client_for, form_post, submitted

BUCKET = "portal-files"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """The portal configured as docs/deployment.md says, from the environment, against an empty bucket; the
    local folder it would otherwise use is empty and must stay so."""
    for name, value in {
        "PORTAL_S3_BUCKET": BUCKET, "PORTAL_S3_ENDPOINT_URL": s3_endpoint, "PORTAL_S3_REGION": "us-east-1",
        "PORTAL_S3_SERVER_SIDE_ENCRYPTION": "AES256",
        "AWS_ACCESS_KEY_ID": "portal-test", "AWS_SECRET_ACCESS_KEY": "portal-test-secret",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="portal-test", aws_secret_access_key="portal-test-secret")
    client.create_bucket(Bucket=BUCKET)
    local = tmp_path / "private"
    local.mkdir()
    settings.PRIVATE_MEDIA_ROOT = local
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = file_storages(private_root=local, object_store=True,
                                      staticfiles=settings.STORAGES["staticfiles"]["BACKEND"])
    yield client
    keys = [{"Key": obj["Key"]} for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    if keys:
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": keys})
    client.delete_bucket(Bucket=BUCKET)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == [], "a file was written to the local folder"


def stored(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {obj["Key"]: client.get_object(Bucket=BUCKET, Key=obj["Key"])["Body"].read() for obj in listing}


def test_the_private_storage_is_the_object_store(bucket):
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["private"], S3Storage)


def test_an_attachment_is_uploaded_to_the_bucket_and_downloaded_only_by_those_who_may_see_it(
        org, bucket, django_capture_on_commit_callbacks):
    upload = io.BytesIO(PDF)
    upload.name = "Phương án.pdf"
    client = client_for(org.proposer_dept)
    client.post(reverse("proposals:create_all"), {**form_post(), "new_attachments": [upload]})

    proposal, attachment = Proposal.objects.get(), Attachment.objects.get()
    client.post(reverse("proposals:submit", args=[proposal.pk]))  # sent, so its authority may read it
    assert stored(bucket) == {f"private/{attachment.file.name}": PDF}
    head = bucket.head_object(Bucket=BUCKET, Key=f"private/{attachment.file.name}")
    assert head["ServerSideEncryption"] == "AES256"
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"private/{attachment.file.name}")["Grants"]
    assert all(grant["Grantee"].get("URI", "").rsplit("/", 1)[-1] not in {"AllUsers", "AuthenticatedUsers"}
               for grant in grants)

    url = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
    for allowed in (org.proposer_dept, org.head_dept, org.homeaffairs):
        response = client_for(allowed).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store" and "Location" not in response
    assert client_for(org.outsider).get(url).status_code == 404


def test_a_draft_attachment_removed_is_deleted_from_the_bucket(org, bucket, django_capture_on_commit_callbacks):
    client = client_for(org.proposer_dept)
    upload = io.BytesIO(PDF)
    upload.name = "nhap.pdf"
    client.post(reverse("proposals:create_all"), {**form_post(action="draft"), "new_attachments": [upload]})
    proposal, attachment = Proposal.objects.get(), Attachment.objects.get()
    assert len(stored(bucket)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:attachment_remove", args=[proposal.pk, attachment.pk]))

    assert stored(bucket) == {}


def test_a_decision_is_generated_into_the_bucket_and_read_back_through_the_view(org, bucket):
    proposal = approve(org.head_dept, submitted(org.proposer_dept))
    decision = Decision.objects.get(proposal=proposal, document__gt="")

    objects = stored(bucket)
    assert list(objects) == [f"private/{decision.document.name}"]
    assert objects[f"private/{decision.document.name}"].startswith(b"%PDF")
    url = reverse("proposals:document", args=[proposal.pk, "decision", decision.pk])
    response = client_for(org.proposer_dept).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == objects[f"private/{decision.document.name}"]
    assert client_for(org.outsider).get(url).status_code == 404


def test_the_annual_report_is_generated_into_the_bucket_and_downloaded_by_home_affairs(org, bucket):
    report = report_services.annual_review_report_request(actor=org.homeaffairs, year=timezone.localdate().year)
    assert report_tasks.annual_review_report_generate(report.pk) == "done"
    report.refresh_from_db()

    objects = stored(bucket)
    assert set(objects) == {f"private/{report.pdf.name}", f"private/{report.xlsx.name}"}
    client = client_for(org.homeaffairs)
    pdf = client.get(reverse("reports:annual_download", args=[report.pk, "pdf"]))
    xlsx = client.get(reverse("reports:annual_download", args=[report.pk, "xlsx"]))
    assert b"".join(pdf.streaming_content) == objects[f"private/{report.pdf.name}"]
    assert load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["Tổng hợp"]
    assert client_for(org.head_dept).get(reverse("reports:annual_download", args=[report.pk, "pdf"])).status_code == 404
    assert AnnualReviewReport.objects.get().status == "done"
