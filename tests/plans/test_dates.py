"""Due times as the documents write them, in Asia/Ho_Chi_Minh."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from plans import dates
from plans.models import DueKind, Recurrence

from .factories import PlanItemFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_date_kind_falls_due_at_the_start_of_that_day_in_vietnam():
    due = dates.due_at(DueKind.DATE, date=dt.date(2022, 4, 9))
    assert due == dt.datetime(2022, 4, 9, tzinfo=VN)
    assert due.astimezone(dt.UTC) == dt.datetime(2022, 4, 8, 17, tzinfo=dt.UTC)
    assert dates.due_label(DueKind.DATE, date=dt.date(2022, 4, 9)) == "Trước ngày 09/4/2022"
    assert dates.format_due(due) == "hết ngày 08/04/2022"


def test_month_kind_falls_due_at_the_end_of_the_month():
    assert dates.due_at(DueKind.MONTH, month=3, year=2022) == dt.datetime(2022, 4, 1, tzinfo=VN)
    assert dates.due_at(DueKind.MONTH, month=12, year=2022) == dt.datetime(2023, 1, 1, tzinfo=VN)
    assert dates.due_label(DueKind.MONTH, month=3, year=2022) == "Tháng 3/2022"


def test_year_kind_falls_due_at_the_end_of_the_year():
    assert dates.due_at(DueKind.YEAR, year=2025) == dt.datetime(2026, 1, 1, tzinfo=VN)
    assert dates.due_label(DueKind.YEAR, year=2025) == "Năm 2025"


def test_ongoing_and_unspecified_items_have_no_single_deadline():
    assert dates.due_at(DueKind.ONGOING) is None
    assert dates.due_at(DueKind.UNSPECIFIED) is None
    assert dates.due_label(DueKind.ONGOING, recurrence="quarterly") == "Thường xuyên"
    assert dates.due_label(DueKind.UNSPECIFIED) == "Không ghi thời gian"


@pytest.mark.parametrize(
    ("recurrence", "keys"),
    [
        (Recurrence.MONTHLY, ["2022-04", "2022-05", "2022-06"]),
        (Recurrence.QUARTERLY, ["2022-Q2", "2022-Q3", "2022-Q4"]),
        (Recurrence.YEARLY, ["2022", "2023", "2024"]),
    ],
)
def test_ongoing_items_recur_monthly_quarterly_or_yearly(recurrence, keys):
    start = dt.datetime(2022, 3, 29, tzinfo=VN)
    found = list(dates.periods(recurrence, first_day=dt.date(2022, 3, 29), last_year=2025, start=start,
                               end=start + dt.timedelta(days=1200)))
    assert [p.key for p in found][:3] == keys
    assert all(p.end.tzinfo is not None and p.end.astimezone(VN).time() == dt.time.min for p in found)


def test_ongoing_checkpoints_stop_at_the_end_of_the_plan():
    start = dt.datetime(2025, 1, 2, tzinfo=VN)
    found = list(dates.periods("quarterly", first_day=dt.date(2022, 3, 29), last_year=2025, start=start,
                               end=start + dt.timedelta(days=800)))
    assert [p.key for p in found] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "label", "due"),
    [
        ({"due_kind": DueKind.DATE, "due_date": dt.date(2022, 4, 9)}, "Trước ngày 09/4/2022",
         dt.datetime(2022, 4, 9, tzinfo=VN)),
        ({"due_kind": DueKind.MONTH, "due_month": 7, "due_year": 2022, "due_date": None}, "Tháng 7/2022",
         dt.datetime(2022, 8, 1, tzinfo=VN)),
        ({"due_kind": DueKind.YEAR, "due_year": 2025, "due_date": None}, "Năm 2025",
         dt.datetime(2026, 1, 1, tzinfo=VN)),
        ({"due_kind": DueKind.ONGOING, "recurrence": "monthly", "due_date": None}, "Thường xuyên", None),
    ],
)
def test_an_item_stores_its_due_instant_for_indexed_queries(tree, fields, label, due):
    item = PlanItemFactory(plan__unit=tree["district"], **fields)
    item.refresh_from_db()
    assert item.due_label == label
    assert item.due_at == due
