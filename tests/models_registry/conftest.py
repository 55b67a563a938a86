"""Fixtures of the registry's tests: private media in a temporary folder, a date before the
deadline, and images/files to upload."""

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.models_registry.factories import DvkModelFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def before_deadline(time_machine):
    """1 March 2025: registrations of 2025 are still open (deadline: before 9 April)."""
    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def after_deadline(time_machine):
    time_machine.move_to(dt.datetime(2025, 4, 20, 9, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def make_model(phase, tree, people):
    """A model of the district (people's unit) by default, in any state."""

    def _make(**kwargs):
        kwargs.setdefault("unit", tree["district"])
        kwargs.setdefault("phase", phase)
        kwargs.setdefault("created_by", people["staff"])
        return DvkModelFactory(**kwargs)

    return _make


def jpeg_bytes(size=(64, 48), gps=False, color=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Hãng máy ảnh"  # Make
        gps_ifd = {1: "N", 2: (10.0, 55.0, 30.0), 3: "E", 4: (108.0, 5.0, 12.0)}
        exif[0x8825] = gps_ifd
        kwargs["exif"] = exif
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def model_form_data(phase, **overrides) -> dict:
    data = {
        "phase": phase.pk,
        "year": 2025,
        "field": "van-hoa-xa-hoi",
        "name": "Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa",
        "registration_kind": "new",
        "goals": "Giúp đỡ hộ nghèo, học sinh khó khăn.",
        "target_group": "Cán bộ, công chức cơ quan",
        "how_it_works": "Mỗi người bỏ ống 1.000 đồng mỗi ngày; cuối quý trao tặng.",
        "leader_text": "Ban Chấp hành Công đoàn",
        "participants": "Toàn thể cán bộ, công chức",
        "start_date": "2025-03-15",
        "expected_results": "Mỗi năm hỗ trợ 10 hộ khó khăn.",
        "resources": "Đóng góp tự nguyện",
    }
    data.update(overrides)
    return data
