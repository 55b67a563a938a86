"""Registration rules: one pledge per person per year, exactly one content, the committee's decision."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from awards.models import Pledge, PledgeEvent, PledgeReminder
from awards.pledges import services

COMMITMENTS = [{"what": "Tham mưu hướng dẫn mô hình “Một giúp một”", "due": "Tháng 5/2025",
                "measure": "Hướng dẫn được ban hành"}]


@pytest.fixture
def staff(people):
    return people["staff"]


def test_staff_registers_a_pledge_in_their_own_unit(staff, contents):
    pledge = services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"],
                                    commitments=COMMITMENTS, submit=True)
    assert pledge.unit == staff.unit and pledge.person == staff
    assert pledge.status == Pledge.Status.SUBMITTED
    assert pledge.commitments.get().measure == "Hướng dẫn được ban hành"
    assert list(pledge.events.values_list("action", flat=True)) == ["create", "submit"]


def test_second_pledge_in_the_same_year_is_refused_in_vietnamese(staff, contents):
    services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    with pytest.raises(ValidationError, match="chỉ đăng ký một bản mỗi năm"):
        services.pledge_create(user=staff, year=2025, content=contents["hoc-tap-lam-theo"],
                               commitments=COMMITMENTS)
    services.pledge_create(user=staff, year=2024, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    assert Pledge.objects.filter(person=staff).count() == 2


def test_database_refuses_two_pledges_of_one_person_in_one_year(staff, contents, phase):
    services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(phase=phase, year=2025, unit=staff.unit, person=staff,
                              content=contents["chuyen-mon"])


def test_collective_pledge_has_no_person_and_one_per_name_per_year(staff, contents):
    pledge = services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"],
                                    commitments=COMMITMENTS, collective_name="Phòng Đoàn thể và các hội")
    assert pledge.person is None and pledge.kind == Pledge.Kind.COLLECTIVE
    with pytest.raises(ValidationError, match="đã có bản đăng ký"):
        services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"],
                               commitments=COMMITMENTS, collective_name="phòng đoàn thể và các HỘI")


def test_database_refuses_a_pledge_that_is_neither_individual_nor_collective(staff, contents, phase):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(phase=phase, year=2025, unit=staff.unit, kind="collective",
                              content=contents["chuyen-mon"])


def test_a_pledge_needs_concrete_commitments(staff, contents):
    with pytest.raises(ValidationError, match="ít nhất một cam kết"):
        services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"], commitments=[])
    with pytest.raises(ValidationError, match="cần đủ"):
        services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"],
                               commitments=[{"what": "Viết bài", "due": "", "measure": ""}])


def _form_data(**extra):
    data = {"c-TOTAL_FORMS": "1", "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0", "c-MAX_NUM_FORMS": "20",
            "c-0-what": "Viết 02 bài tuyên truyền", "c-0-due": "Quý III/2025", "c-0-measure": "Bài được đăng",
            "send": "1"}
    data.update(extra)
    return data


def test_form_requires_exactly_one_content(client, staff, contents):
    client.force_login(staff)
    url = reverse("awards:pledge_create") + "?year=2025"
    response = client.post(url, _form_data())
    assert "Hãy chọn đúng một nội dung đăng ký." in response.content.decode()
    two = _form_data()
    response = client.post(url, {**two, "content": [contents["chuyen-mon"].pk, contents["hoc-tap-lam-theo"].pk]})
    assert "Hãy chọn đúng một nội dung đăng ký." in response.content.decode()
    assert "Viết 02 bài tuyên truyền" in response.content.decode()  # what was typed is kept
    assert not Pledge.objects.exists()
    response = client.post(url, _form_data(content=contents["chuyen-mon"].pk))
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and pledge.status == Pledge.Status.SUBMITTED


def test_form_shows_the_duplicate_error(client, staff, contents):
    client.force_login(staff)
    url = reverse("awards:pledge_create") + "?year=2025"
    client.post(url, _form_data(content=contents["chuyen-mon"].pk))
    response = client.post(url, _form_data(content=contents["chuyen-mon"].pk))
    assert response.status_code == 200
    assert "chỉ đăng ký một bản mỗi năm" in response.content.decode()
    assert Pledge.objects.count() == 1


def test_union_member_accepts_or_returns_with_comment(staff, people, contents, django_capture_on_commit_callbacks):
    pledge = services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"],
                                    commitments=COMMITMENTS, submit=True)
    with pytest.raises(ValidationError, match="ghi rõ"):
        services.pledge_return(user=people["union"], pledge=pledge, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        pledge = services.pledge_return(user=people["union"], pledge=pledge, comment="Bổ sung cách đo kết quả.")
    assert pledge.status == Pledge.Status.RETURNED
    assert mail.outbox and "trả lại" in mail.outbox[-1].subject
    services.pledge_update(user=staff, pledge=pledge, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    services.pledge_submit(user=staff, pledge=pledge)
    pledge = services.pledge_accept(user=people["union"], pledge=pledge)
    assert pledge.status == Pledge.Status.ACCEPTED
    assert PledgeEvent.objects.filter(pledge=pledge, action="return", actor=people["union"]).exists()


def test_only_the_units_union_committee_decides(staff, people, make_user, tree, contents):
    pledge = services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"],
                                    commitments=COMMITMENTS, submit=True)
    with pytest.raises(PermissionDenied):
        services.pledge_accept(user=people["leader"], pledge=pledge)
    foreign_union = make_user(tree["other_district"], "congdoan")
    with pytest.raises(Http404):
        services.pledge_accept(user=foreign_union, pledge=pledge)
    # A union member of the province sees the district in scope but is not its committee.
    province_union = make_user(tree["province"], "congdoan")
    with pytest.raises(PermissionDenied):
        services.pledge_accept(user=province_union, pledge=pledge)


def test_foreign_users_get_404_on_a_pledge(client, staff, people, contents):
    pledge = services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    client.force_login(people["foreign_staff"])
    assert client.get(reverse("awards:pledge_detail", args=[pledge.pk])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("awards:pledge_detail", args=[pledge.pk])).status_code == 200


def test_committee_sees_who_has_not_registered_and_reminds_them(
    client, staff, people, make_user, tree, contents, django_capture_on_commit_callbacks
):
    late = make_user(tree["district"], "canbo", full_name="Võ Thị Lành")
    services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    client.force_login(people["union"])
    page = client.get(reverse("awards:unregistered") + "?year=2025").content.decode()
    assert "Võ Thị Lành" in page and str(staff) not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:unregistered") + "?year=2025", {"all": "1"})
    assert response.status_code == 302
    recipients = {m.to[0] for m in mail.outbox}
    assert late.email in recipients and staff.email not in recipients
    sent = len(mail.outbox)
    assert services.pledge_remind(user=people["union"], unit=tree["district"], year=2025) == 0  # once a day
    assert len(mail.outbox) == sent
    assert PledgeReminder.objects.filter(person=late).count() == 1
    from plans.models import Notification

    assert Notification.objects.filter(user=late, title__contains="Nhắc đăng ký").count() == 1


def test_staff_cannot_open_the_unregistered_list(client, staff):
    client.force_login(staff)
    assert client.get(reverse("awards:unregistered")).status_code == 403
