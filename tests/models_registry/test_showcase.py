"""The public showcase: only public recognised models, found without diacritics, without login."""

import pytest
from django.urls import reverse

from models_registry import services
from models_registry.models import RecognitionLevel, State
from tests.models_registry.conftest import jpeg_bytes, upload
from tests.models_registry.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showcase(make_model, tree):
    public = make_model(name="Dân vận khéo trong xây dựng nông thôn mới", state=State.RECOGNISED,
                        recognition_level=RecognitionLevel.DISTRICT, is_public=True, slug="dan-van-kheo-ntm-1")
    hidden = {
        "recognised_not_public": make_model(name="Công nhận chưa công khai", state=State.RECOGNISED,
                                            recognition_level=RecognitionLevel.UNIT),
        "public_flag_but_not_recognised": make_model(name="Chưa công nhận", state=State.REGISTERED, is_public=True),
        "draft": make_model(name="Bản nháp", state=State.DRAFT),
    }
    return public, hidden


def test_only_public_recognised_models_appear(client, showcase):
    public, hidden = showcase
    response = client.get(reverse("showcase:list"))
    assert response.status_code == 200
    assert list(response.context["models"]) == [public]
    page = response.content.decode()
    assert f'>{public.name}</a>' in page
    assert f'href="{reverse("showcase:detail", args=[public.slug])}"' in page
    for model in hidden.values():
        assert model.name not in page
        assert client.get(reverse("showcase:detail", args=[model.pk])).status_code == 404


@pytest.mark.parametrize("query", ["dan van kheo nong thon", "DÂN VẬN KHÉO", "nông thôn mới"])
def test_showcase_search_without_diacritics(client, showcase, query):
    public, _ = showcase
    assert list(client.get(reverse("showcase:list"), {"q": query}).context["models"]) == [public]
    assert list(client.get(reverse("showcase:list"), {"q": "khong co mo hinh nay"}).context["models"]) == []


def test_detail_by_id_or_slug_shows_results_and_replications(client, showcase, make_model, tree):
    public, _ = showcase
    ProgressReportFactory(model=public, people_reached=120, beneficiaries=300)
    ProgressReportFactory(model=public, people_reached=80, beneficiaries=50)
    make_model(unit=tree["other_commune"], replicated_from=public, state=State.REGISTERED)
    by_id = client.get(reverse("showcase:detail", args=[public.pk]))
    assert by_id.status_code == 301 and by_id["Location"] == reverse("showcase:detail", args=[public.slug])
    page = client.get(by_id["Location"]).content.decode()
    assert "200 người được tuyên truyền" in page and "350 người hưởng lợi" in page
    assert "Đã được nhân rộng tại 1 đơn vị." in page and "Huyện Tuy Phong: 1" in page
    gallery = client.get(reverse("showcase:list")).content.decode()
    assert "nhân rộng 1 nơi" in gallery


def test_publish_makes_a_model_public_with_its_photo(client, people, make_model, phase):
    model = make_model(state=State.RECOGNISED, recognition_level=RecognitionLevel.DISTRICT)
    services._attach(model=model, user=people["staff"], files=[
        __import__("models_registry.uploads", fromlist=["clean_upload"]).clean_upload(upload("anh.jpg", jpeg_bytes()))
    ])
    photo = model.attachments.get()
    assert client.get(reverse("showcase:photo", args=[photo.pk])).status_code == 404
    model = services.model_publish(model=model, user=people["leader"])
    assert model.slug.endswith(f"-{model.pk}")
    assert client.get(reverse("showcase:photo_thumb", args=[photo.pk])).status_code == 200
    assert model.name in client.get(reverse("showcase:list")).content.decode()
    services.model_unpublish(model=model, user=people["leader"], comment="Cập nhật lại nội dung.")
    assert client.get(reverse("showcase:photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("showcase:detail", args=[model.slug])).status_code == 404


def test_showcase_does_not_serve_evidence_documents(client, people, make_model):
    model = make_model(state=State.RECOGNISED, recognition_level=2, is_public=True)
    from models_registry.uploads import clean_upload

    services._attach(model=model, user=people["staff"], files=[clean_upload(upload("ho-so.pdf", b"%PDF-1.4\n%%EOF"))])
    pdf = model.attachments.get()
    assert client.get(reverse("showcase:photo", args=[pdf.pk])).status_code == 404
    client.force_login(people["foreign_staff"])
    assert client.get(reverse("models_registry:attachment", args=[pdf.pk])).status_code == 404


def test_showcase_filters_by_year_area_field_and_level_with_chips(client, make_model, tree):
    def public(name, **kwargs):
        return make_model(name=name, state=State.RECOGNISED, is_public=True,
                          recognition_level=kwargs.pop("level", RecognitionLevel.DISTRICT), **kwargs)

    here = public("Mô hình Hàm Đức", unit=tree["commune"], year=2025, field="kinh-te")
    there = public("Mô hình Tuy Phong", unit=tree["other_commune"], year=2024, field="van-hoa-xa-hoi",
                   level=RecognitionLevel.PROVINCE)
    url = reverse("showcase:list")
    assert list(client.get(url, {"area": tree["district"].pk}).context["models"]) == [here]
    assert list(client.get(url, {"year": 2024}).context["models"]) == [there]
    assert list(client.get(url, {"field": "kinh-te"}).context["models"]) == [here]
    assert list(client.get(url, {"level": RecognitionLevel.PROVINCE}).context["models"]) == [there]
    page = client.get(url, {"area": tree["district"].pk, "year": 2025}).content.decode()
    assert f"Địa bàn: <strong>{tree['district'].name}</strong>" in page
    assert 'href="?year=2025"' in page  # removing the area keeps the year
    for junk in ({"year": "x"}, {"area": "-1"}, {"level": "99"}):
        assert client.get(url, junk).status_code == 200


def test_signed_in_staff_of_another_unit_can_replicate_a_public_model(client, make_model, tree, people):
    model = make_model(name="Mô hình để học tập", state=State.RECOGNISED, is_public=True,
                       recognition_level=RecognitionLevel.DISTRICT, unit=tree["other_commune"])
    detail = reverse("showcase:detail", args=[model.public_key])
    assert 'data-testid="replicate"' not in client.get(detail).content.decode()
    client.force_login(people["staff"])
    page = client.get(detail).content.decode()
    create = f'{reverse("models_registry:create")}?replicate={model.pk}'
    assert f'href="{create}"' in page and "Nhân rộng mô hình này" in page
    form = client.get(create)
    assert form.context["form"].initial["replicated_from"] == model.pk
