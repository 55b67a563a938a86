"""Every form that takes a file runs it through the one checked pipeline (models_registry/uploads.py):
HTML, SVG with script, an EXE renamed .jpg and HTML renamed .pdf are refused and nothing is stored;
a photo is stored re-encoded, without its GPS position."""

from __future__ import annotations

import datetime as dt
import io
import random
from urllib.parse import urljoin

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.models_registry.conftest import jpeg_bytes

from .hostile import fill, parse_forms, unit_picker
from .world import build_world

pytestmark = pytest.mark.django_db

# (url name, kwargs from the world, principal, file field, model that holds the stored file, its file field)
FILE_FORMS = [
    ("models_registry:create", {}, "canbo", "attachments", "models_registry.Attachment", "file"),
    ("models_registry:report_create", {"pk": "model_registered"}, "canbo", "attachments",
     "models_registry.Attachment", "file"),
    ("plans:item_transition", {"pk": "item", "name": "=start"}, "canbo", "evidence", "plans.PlanItemUpdate",
     "evidence"),
]
OVERRIDES = {"models_registry:report_create": {"period_start": "2025-03-01", "period_end": "2025-06-30"}}
HOSTILE_FILES = {
    "page.html": b"<!doctype html><script>alert(1)</script>",
    "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "anh.jpg": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # an EXE renamed
    "bien-ban.pdf": b"<html><body onload=alert(1)>not a pdf</body></html>",  # HTML renamed
}


@pytest.fixture
def world(tree, people, make_user, phase, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=True):
        yield build_world(tree, people, make_user, phase)


def _post(world, name, spec, principal, field, filename, content):
    client = Client()
    client.force_login(world.principals[principal])
    kwargs = {k: v[1:] if v.startswith("=") else world.own[v].pk for k, v in spec.items()}
    url = reverse(name, kwargs=kwargs)
    forms = [f for f in parse_forms(client.get(url).content.decode()) if f.multipart]
    assert len(forms) == 1 and any(f.name == field for f in forms[0].fields), url
    data = fill(forms[0], random.Random(3), picker=unit_picker(client.get))
    data.update(OVERRIDES.get(name, {}))
    data[field] = SimpleUploadedFile(filename, content)
    action = urljoin(url, forms[0].action) if forms[0].action else url
    return client.post(action, data)


@pytest.mark.parametrize("name, spec, principal, field, holder, attr", FILE_FORMS, ids=[f[0] for f in FILE_FORMS])
@pytest.mark.parametrize("filename", list(HOSTILE_FILES))
def test_a_file_that_is_not_what_it_claims_is_refused_everywhere(world, name, spec, principal, field, holder, attr,
                                                                  filename):
    model = apps.get_model(holder)
    before = model.objects.exclude(**{attr: ""}).count()
    response = _post(world, name, spec, principal, field, filename, HOSTILE_FILES[filename])
    assert response.status_code == 200  # the form again, with the reason
    assert "không thuộc loại được nhận" in response.content.decode()
    assert model.objects.exclude(**{attr: ""}).count() == before


@pytest.mark.parametrize("name, spec, principal, field, holder, attr", FILE_FORMS, ids=[f[0] for f in FILE_FORMS])
def test_a_photo_is_stored_without_its_gps_position_everywhere(world, name, spec, principal, field, holder, attr):
    model = apps.get_model(holder)
    original = jpeg_bytes(size=(320, 240), gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    response = _post(world, name, spec, principal, field, "anh-hien-truong.jpg", original)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = model.objects.exclude(**{attr: ""}).order_by("-pk").first()
    with getattr(stored, attr).open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.format == "JPEG" and not image.getexif()
