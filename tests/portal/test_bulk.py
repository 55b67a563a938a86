"""portal.bulk: COPY loading gives the rows bulk_create would, and the table's keys carry on after it."""

import datetime as dt

import pytest
from django.db import connection

from plans.models import Notification
from portal.bulk import copy_create, insert_returning

pytestmark = pytest.mark.django_db


def test_copy_create_writes_the_rows_with_keys_and_later_rows_do_not_collide(people):
    at = dt.datetime(2026, 4, 2, 1, tzinfo=dt.UTC)
    rows = [
        Notification(user=people["staff"], title=f"Nhắc việc số {i}", body="Còn 7 ngày nữa đến hạn.",
                     key=f"copy:{i}", created_at=at, email_status=Notification.Email.SKIPPED)
        for i in range(3)
    ]
    copy_create(Notification, rows)
    keys = [n.pk for n in rows]
    assert keys == sorted(keys) and len(set(keys)) == 3
    stored = list(Notification.objects.filter(pk__in=keys).order_by("pk").values_list("title", "key", "created_at"))
    assert stored == [(f"Nhắc việc số {i}", f"copy:{i}", at) for i in range(3)]
    later = Notification.objects.create(user=people["staff"], title="Sau khi nạp")
    assert later.pk > max(keys)


def test_insert_returning_says_which_rows_it_wrote(people):
    user = people["staff"].pk
    first = insert_returning(Notification, [{"user_id": user, "title": "Một", "key": "k1"}], ["key"])
    again = insert_returning(
        Notification, [{"user_id": user, "title": "Một", "key": "k1"}, {"user_id": user, "title": "Hai", "key": "k2"}],
        ["key"],
    )
    assert first == [("k1",)] and again == [("k2",)]
    assert connection.vendor == "postgresql"
