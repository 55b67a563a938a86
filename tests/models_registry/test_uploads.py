"""Uploads: checked by content, limited in size, cleaned of metadata, kept across a refused form."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from models_registry.models import Attachment, DvkModel, State
from tests.models_registry.conftest import docx_bytes, jpeg_bytes, model_form_data, upload

pytestmark = pytest.mark.django_db


def _create(client, phase, files, **overrides):
    data = model_form_data(phase, **overrides)
    data["attachments"] = files
    return client.post(reverse("models_registry:create"), data)


def test_register_with_a_photo_strips_gps_and_makes_a_thumbnail(client, people, phase):
    original = jpeg_bytes(size=(1200, 900), gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # the test photo carries GPS
    client.force_login(people["staff"])
    response = _create(client, phase, [upload("anh-hop-dan.jpg", original, "image/jpeg")])
    assert response.status_code == 302
    model = DvkModel.objects.get()
    assert model.state == State.DRAFT and model.unit == people["staff"].unit
    attachment = model.attachments.get()
    assert attachment.kind == "image" and attachment.original_name == "anh-hop-dan.jpg"
    stored = client.get(reverse("models_registry:attachment", args=[attachment.pk]))
    body = b"".join(stored.streaming_content)
    image = Image.open(io.BytesIO(body))
    assert image.size == (1200, 900)
    assert not image.getexif()  # no GPS, no camera make: nothing left
    assert b"Exif" not in body[:200]
    thumb = Image.open(io.BytesIO(b"".join(client.get(reverse("models_registry:attachment_thumb", args=[attachment.pk])).streaming_content)))
    assert max(thumb.size) <= 480


def test_pdf_and_docx_are_accepted_by_content(client, people, phase):
    client.force_login(people["staff"])
    response = _create(client, phase, [
        upload("ke-hoach.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        upload("bao-cao.docx", docx_bytes()),
    ])
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == ["docx", "pdf"]


@pytest.mark.parametrize(
    "name,content",
    [
        ("anh.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),  # a renamed .exe
        ("so-do.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("tai-lieu.docx", b"PK\x03\x04" + b"\x00" * 60),  # a broken zip named .docx
        ("ghi-chu.txt", "Văn bản thường".encode()),
    ],
)
def test_wrong_type_is_refused_whatever_its_name(client, people, phase, name, content):
    client.force_login(people["staff"])
    response = _create(client, phase, [upload(name, content, "image/jpeg")])
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Tệp “{name}”" in page
    assert not DvkModel.objects.exists() and not Attachment.objects.exists()


def test_zip_that_is_not_an_office_file_is_refused(client, people, phase):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("chuong-trinh.exe", b"MZ")
    client.force_login(people["staff"])
    response = _create(client, phase, [upload("bang-tinh.xlsx", out.getvalue())])
    assert "không thuộc loại được nhận" in response.content.decode()


def test_oversized_file_is_refused(client, people, phase, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    client.force_login(people["staff"])
    response = _create(client, phase, [upload("anh-lon.jpg", jpeg_bytes(size=(400, 400), color=(1, 2, 3)) + b"\x00" * 2000)])
    assert "quá lớn" in response.content.decode() and "tối đa" in response.content.decode()
    assert not DvkModel.objects.exists()


def test_total_per_model_is_limited(client, people, phase, settings):
    settings.UPLOAD_MAX_RECORD_BYTES = 1500
    client.force_login(people["staff"])
    files = [upload(f"anh-{i}.jpg", jpeg_bytes(size=(200, 200), color=(i * 40, 10, 10))) for i in range(3)]
    response = _create(client, phase, files)
    assert "vượt giới hạn" in response.content.decode()
    assert not DvkModel.objects.exists()


def test_decompression_bomb_is_refused(client, people, phase):
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 megapixels in a few kilobytes
    client.force_login(people["staff"])
    response = _create(client, phase, [upload("bom.png", out.getvalue())])
    assert "quá lớn (số điểm ảnh vượt giới hạn)" in response.content.decode()


def test_refused_form_keeps_typed_text_and_chosen_files(client, people, phase):
    client.force_login(people["staff"])
    response = _create(client, phase, [upload("minh-chung.jpg", jpeg_bytes())], name="", goals="Mục tiêu đã gõ dở")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mục tiêu đã gõ dở" in page and "minh-chung.jpg" in page
    kept = Attachment.objects.get()
    assert kept.model is None and kept.uploaded_by == people["staff"]
    # Fix the name and send again without choosing the file: it is attached.
    data = model_form_data(phase, kept_uploads=str(kept.pk))
    assert client.post(reverse("models_registry:create"), data).status_code == 302
    kept.refresh_from_db()
    assert kept.model == DvkModel.objects.get()


def test_kept_upload_of_someone_else_cannot_be_adopted(client, people, phase, make_user, tree):
    other = make_user(tree["district"], "canbo")
    client.force_login(other)
    _create(client, phase, [upload("cua-nguoi-khac.jpg", jpeg_bytes())], name="")
    kept = Attachment.objects.get()
    client.force_login(people["staff"])
    client.post(reverse("models_registry:create"), model_form_data(phase, kept_uploads=str(kept.pk)))
    kept.refresh_from_db()
    assert kept.model is None
    assert client.get(reverse("models_registry:attachment", args=[kept.pk])).status_code == 404


def test_evidence_is_served_only_inside_the_subtree(client, people, phase):
    client.force_login(people["staff"])
    _create(client, phase, [upload("bao-cao.pdf", b"%PDF-1.4\n%%EOF")])
    attachment = Attachment.objects.get()
    DvkModel.objects.update(state=State.SUBMITTED)
    url = reverse("models_registry:attachment", args=[attachment.pk])
    client.force_login(people["leader"])
    assert client.get(url).status_code == 200
    client.force_login(people["foreign_leader"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert not str(attachment.file.path).startswith(str(__import__("django.conf").conf.settings.MEDIA_ROOT))


def test_zip_bomb_named_docx_is_refused(client, people, phase, settings):
    """A Word file whose parts expand far beyond the limit is refused before anything unpacks it."""
    import zipfile

    settings.UPLOAD_MAX_FILE_BYTES = 200 * 1024  # bomb threshold: 20 × this, expanded
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (8 * 1024 * 1024))  # 8 MB of zeros
    assert len(out.getvalue()) < 200 * 1024  # small on the wire
    client.force_login(people["staff"])
    response = _create(client, phase, [upload("bao-cao.docx", out.getvalue())])
    assert response.status_code == 200
    assert "giải nén ra quá lớn" in response.content.decode()
    assert not Attachment.objects.filter(model__isnull=False).exists()
    assert DvkModel.objects.count() == 0
