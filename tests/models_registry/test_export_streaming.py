"""The Excel export of models streams: its memory does not grow with rows, and a list over the
limit is refused before any work starts."""

import gc
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from models_registry import exports
from models_registry.exports import models_xlsx_file
from models_registry.models import DvkModel, ModelField, State

pytestmark = pytest.mark.django_db


def _bulk_models(tree, phase, people, start, count):
    units = [tree["district"], tree["commune"], tree["village"]]
    DvkModel.objects.bulk_create(
        [
            DvkModel(
                unit=units[i % 3], phase=phase, year=2025, field=ModelField.CULTURE_SOCIETY,
                name=f"Mô hình “Dân vận khéo” thắp sáng đường quê số {i}", goals="Vận động nhân dân",
                target_group=f"Hộ gia đình thôn {i}", how_it_works="Góp ngày công", leader_text="Ban Dân vận xã",
                start_date="2025-03-01", expected_results="2 km đường", state=State.SUBMITTED,
                created_by=people["staff"],
            )
            for i in range(start, start + count)
        ],
        batch_size=2000,
    )


def _export_peak(qs) -> tuple[int, int]:
    """Peak traced memory (bytes) while the workbook of `qs` is written, and the file's size.

    The least of three runs, each after a full collection: when the cyclic collector happens to run
    moves a single peak by ±100 KB, which is not what the test is about.
    """
    peaks = []
    for _ in range(3):
        gc.collect()
        tracemalloc.start()
        try:
            with models_xlsx_file(qs) as handle:
                _current, peak = tracemalloc.get_traced_memory()
                size = handle.seek(0, io.SEEK_END)
        finally:
            tracemalloc.stop()
        peaks.append(peak)
    return min(peaks), size


def test_export_memory_stays_flat_from_500_to_5000_rows(tree, phase, people, monkeypatch):
    # Memory is bounded by the chunk read from the cursor, not by the rows: with chunks smaller
    # than both sizes, ten times the rows must not cost more memory.
    monkeypatch.setattr(exports, "CHUNK_ROWS", 250)
    _bulk_models(tree, phase, people, 0, 500)
    qs = DvkModel.objects.order_by("pk")
    with models_xlsx_file(qs):  # warm: imports, translations, compiled queries
        pass
    small_peak, small_size = _export_peak(qs)
    _bulk_models(tree, phase, people, 500, 4500)
    large_peak, large_size = _export_peak(qs)
    assert large_size > 5 * small_size  # ten times the rows were really written
    assert large_peak <= small_peak * 1.2, (small_peak, large_peak)


def test_export_streams_the_file_with_every_row(client, tree, phase, people):
    _bulk_models(tree, phase, people, 0, 3000)
    client.force_login(people["leader"])
    response = client.get(reverse("models_registry:export"))
    assert response.status_code == 200
    assert response.streaming
    assert 'filename="mo-hinh-dan-van-kheo-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3001
    assert rows[-1][1].startswith("Mô hình “Dân vận khéo” thắp sáng đường quê số")


def test_export_over_the_limit_is_refused_before_any_row_is_read(client, settings, tree, phase, people):
    settings.EXPORT_MAX_ROWS = 100
    _bulk_models(tree, phase, people, 0, 101)
    client.force_login(people["leader"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("models_registry:export"), {"field": ModelField.CULTURE_SOCIETY})
    assert response.status_code == 302
    assert response["Location"] == reverse("models_registry:list") + f"?field={ModelField.CULTURE_SOCIETY}"
    assert not any("mo-hinh" in q["sql"] or '"name"' in q["sql"] and "COUNT" not in q["sql"]
                   for q in ctx.captured_queries if "models_registry_dvkmodel" in q["sql"])
    page = client.get(response["Location"]).content.decode()
    assert "Danh sách có 101 mô hình, vượt giới hạn 100 dòng của một tệp Excel." in page
    # Within the limit the same export is made.
    settings.EXPORT_MAX_ROWS = 101
    assert client.get(reverse("models_registry:export"), {"field": ModelField.CULTURE_SOCIETY}).status_code == 200
