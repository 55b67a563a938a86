"""An administrator saves the demo's inspection as it is (found: inspection 1 said "invalid choice")."""

import re
from html import unescape

import pytest
from django.urls import reverse

from plans.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("seed_demo", "--size", "small")


def _form_values(html: str) -> dict:
    """The inspection form's current values, as a browser would send them back unchanged."""
    forms = [f for f in re.findall(r"<form[^>]*>.*?</form>", html, re.S) if 'name="title"' in f]
    form = forms[0]
    data: dict = {}
    for tag in re.finditer(r"<input[^>]*>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(0)))
        kind, name = attrs.get("type", "text"), attrs.get("name")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind == "checkbox" and "checked" not in tag.group(0):
            continue
        data.setdefault(name, []).append(unescape(attrs.get("value", "")))
    for select in re.finditer(r'<select[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen
    for area in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[area.group(1)] = [unescape(area.group(2)).lstrip("\n")]
    return data


@pytest.mark.parametrize("page", ["admin:plans_inspection_change", "plans:inspection_update"])
def test_an_administrator_saves_the_demo_inspection_unchanged(client, demo, page):
    from portal.accounts.models import User

    admin = User.objects.get(username="admin")
    client.force_login(admin)
    inspection = Inspection.objects.order_by("pk").first()
    # Two of its inspected units were merged away in 2025: they stay valid choices of this record.
    assert inspection.inspected_units.filter(is_active=False).exists()
    url = reverse(page, args=[inspection.pk])
    data = _form_values(client.get(url).content.decode())
    response = client.post(url, data)
    errors = re.findall(r'field-(\w+)"[^>]*>\s*<ul class="errorlist|id="error_\d+_id_(\w+)"[^>]*><strong>([^<]*)',
                        response.content.decode(), re.S)
    assert response.status_code == 302, errors
    inspection.refresh_from_db()
    assert inspection.inspected_units.count() == 4
