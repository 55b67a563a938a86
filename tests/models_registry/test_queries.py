"""List and detail pages keep the same number of queries as the data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_registry.models import ModelEvent, RecognitionLevel, State
from tests.models_registry.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


def _count(client, url, params=None):
    client.get(url, params or {})  # the first request of a session also refreshes its expiry (once a minute)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(make_model, tree, people, n, **kwargs):
    units = [tree["district"], tree["commune"], tree["village"]]
    models = []
    for i in range(n):
        model = make_model(unit=units[i % 3], **kwargs)
        ModelEvent.objects.create(model=model, action="submit", actor=people["staff"], to_state=model.state)
        models.append(model)
    return models


def test_list_queries_do_not_grow_with_rows(client, people, tree, make_model, django_assert_max_num_queries):
    client.force_login(people["leader"])
    _grow(make_model, tree, people, 2, state=State.SUBMITTED)
    few = _count(client, reverse("models_registry:list"))
    _grow(make_model, tree, people, 20, state=State.SUBMITTED, replicated_from=None)
    assert _count(client, reverse("models_registry:list")) == few
    with django_assert_max_num_queries(15):
        client.get(reverse("models_registry:list"), {"q": "mo hinh", "sort": "unit"})


def test_detail_queries_do_not_grow_with_events_reports_and_replications(client, people, tree, make_model):
    client.force_login(people["leader"])
    model = make_model(state=State.RECOGNISED, recognition_level=RecognitionLevel.DISTRICT)
    ProgressReportFactory(model=model)
    _grow(make_model, tree, people, 1, state=State.REGISTERED, replicated_from=model)
    url = reverse("models_registry:detail", args=[model.pk])
    few = _count(client, url)
    for _ in range(10):
        ProgressReportFactory(model=model)
        ModelEvent.objects.create(model=model, action="comment", actor=people["cell"], comment="Tốt")
    _grow(make_model, tree, people, 12, state=State.REGISTERED, replicated_from=model)
    assert _count(client, url) == few


def test_showcase_queries_do_not_grow_with_models(client, people, tree, make_model):
    public = {"state": State.RECOGNISED, "recognition_level": RecognitionLevel.DISTRICT, "is_public": True}
    _grow(make_model, tree, people, 2, **public)
    few = _count(client, reverse("showcase:list"))
    for model in _grow(make_model, tree, people, 10, **public):
        ProgressReportFactory(model=model)
    assert _count(client, reverse("showcase:list")) == few
    assert few <= 6


def test_home_coverage_spread_and_export_queries_do_not_grow_with_models(client, people, tree, make_model):
    """The other key pages of `make bench` over the registry: the same query count for 3 and 30 models."""
    client.force_login(people["leader"])
    urls = ["/", reverse("models_registry:coverage") + "?year=2025", reverse("models_registry:coverage_gaps") + "?year=2025",
            reverse("models_registry:spread") + "?year=2025&rollup=then", reverse("models_registry:stats"),
            reverse("models_registry:export")]
    _grow(make_model, tree, people, 3, state=State.REGISTERED)
    few = {url: _count(client, url) for url in urls}
    _grow(make_model, tree, people, 30, state=State.RECOGNISED, recognition_level=RecognitionLevel.DISTRICT,
          is_public=True)
    assert {url: _count(client, url) for url in urls} == few
