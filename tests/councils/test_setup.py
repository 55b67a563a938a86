"""What is prepared in the portal before a session runs: the council and its members for a term (by
an administrator, with history), sessions, their agenda (only the records the council may consider)
and their evaluators (by the secretary)."""

import datetime as dt

from django.urls import reverse

from councils import services
from councils.models import AgendaItem, Council, CouncilMember, Evaluator, Session
from models_registry.models import RecognitionLevel, State
from plans.models import Notification
from tests.councils.factories import ProposalFactory, RubricFactory, SubjectFactory
from tests.models_registry.factories import DvkModelFactory


def _notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_an_administrator_forms_a_council_and_keeps_its_membership_with_history(client, people, tree, make_user):
    admin = people["admin"]
    client.force_login(admin)
    assert "Thành lập Hội đồng" in client.get(reverse("councils:index")).content.decode()
    response = client.post(reverse("councils:council_create"), {
        "unit": tree["district"].pk, "name": "Hội đồng Thi đua – Khen thưởng huyện", "level": 2,
        "term_start": "2026-01-01", "term_end": "2030-12-31", "quorum_num": 2, "quorum_den": 3,
        "disagreement_std": "15"})
    council = Council.objects.get()
    assert response.status_code == 302 and response.url == reverse("councils:council_detail", args=[council.pk])
    chair = make_user(tree["district"], "lanhdao", username="chu_tich", full_name="Trần Văn Chủ")
    clerk = make_user(tree["commune"], "canbo", username="thu_ky", full_name="Nguyễn Thị Thư")
    add = reverse("councils:member_add", args=[council.pk])
    assert client.post(add, {"member": chair.pk, "role": "chair", "position": "Phó Bí thư", "order": 1}).status_code == 302
    assert client.post(add, {"member": clerk.pk, "role": "member", "position": "", "order": 2}).status_code == 302
    # A second chair is refused with words, not a crash.
    page = client.post(add, {"member": people["leader"].pk, "role": "chair", "position": "", "order": 3})
    assert page.status_code == 200 and "đã có Chủ tịch" in page.content.decode()
    seat = CouncilMember.objects.get(user=clerk)
    client.post(reverse("councils:member_update", args=[seat.pk]),
                {"member": people["leader"].pk, "role": "secretary", "position": "Chánh Văn phòng", "order": 2})
    seat.refresh_from_db()
    assert (seat.user, seat.role, seat.position) == (clerk, "secretary", "Chánh Văn phòng")  # the person stays
    # Removal asks first, then removes.
    delete = reverse("councils:member_delete", args=[seat.pk])
    assert "Bỏ Nguyễn Thị Thư khỏi Hội đồng?" in client.get(delete).content.decode()
    assert CouncilMember.objects.filter(pk=seat.pk).exists()
    client.post(delete)
    assert not CouncilMember.objects.filter(pk=seat.pk).exists()
    html = client.get(reverse("councils:council_detail", args=[council.pk])).content.decode()
    history = html[html.index('id="membership-history-list"'):]
    assert "bỏ Nguyễn Thị Thư (Thư ký Hội đồng)" in history
    assert "Ủy viên</del> → <ins>Thư ký Hội đồng" in history and "thêm Trần Văn Chủ – Chủ tịch Hội đồng" in history
    assert str(admin) in history


def test_only_administrators_change_the_membership(client, council, seats, secretary, people):
    for user, status in ((secretary, 403), (people["leader"], 403), (people["foreign_staff"], 404)):
        client.force_login(user)
        assert client.get(reverse("councils:member_add", args=[council.pk])).status_code == status
        assert client.post(reverse("councils:member_delete", args=[seats[4].pk])).status_code == status
    assert council.members.count() == 5
    client.force_login(secretary)
    html = client.get(reverse("councils:council_detail", args=[council.pk])).content.decode()
    assert "Thêm thành viên" not in html and "Lên lịch phiên họp" in html


def test_a_seat_already_in_a_sessions_record_is_kept(council, seats, session, secretary, people):
    from django.core.exceptions import ValidationError

    services.session_open(user=secretary, session=session)
    services.attendance_take(user=secretary, session=session, present_ids={seats[4].pk})
    try:
        services.member_remove(user=people["admin"], seat=seats[4])
    except ValidationError as exc:
        assert "điểm danh" in exc.messages[0]
    else:
        raise AssertionError("removed a member recorded at a session")


def test_the_secretary_schedules_a_session_and_the_members_are_told(client, council, seats, secretary):
    client.force_login(secretary)
    url = reverse("councils:session_create", args=[council.pk])
    page = client.post(url, {"date": "2026-10-06", "place": "Hội trường"})
    assert "trong nhiệm kỳ" in page.content.decode() and not Session.objects.exists()  # term ends 2025
    response = client.post(url, {"date": "2025-10-06", "place": "Hội trường Huyện ủy"})
    session = Session.objects.get()
    assert response.url == reverse("councils:session_detail", args=[session.pk])
    assert (session.place, session.created_by) == ("Hội trường Huyện ủy", secretary)
    assert _notified("council.session_scheduled") == {s.user.username for s in seats} - {secretary.username}
    # A planned session can be called off, after a confirmation.
    delete = reverse("councils:session_delete", args=[session.pk])
    assert "Hủy phiên họp ngày 06/10/2025?" in client.get(delete).content.decode()
    client.post(delete)
    assert not Session.objects.exists()


def test_the_agenda_offers_only_what_the_council_may_consider(client, tree, phase, council, session, secretary,
                                                             proposal, effective_model):
    not_effective = DvkModelFactory(unit=tree["commune"], phase=phase, state=State.EVALUATED, is_effective=False,
                                    name="Mô hình chưa hiệu quả")
    foreign = DvkModelFactory(unit=tree["other_commune"], phase=phase, state=State.EVALUATED, is_effective=True,
                              name="Mô hình của huyện khác")
    already = DvkModelFactory(unit=tree["commune"], phase=phase, state=State.RECOGNISED, is_effective=True,
                              recognition_level=RecognitionLevel.DISTRICT, name="Mô hình đã công nhận cấp huyện")
    elsewhere = ProposalFactory(unit=tree["other_commune"], decider_unit=tree["other_district"], phase=phase)
    SubjectFactory(proposal=elsewhere, unit=tree["other_commune"], name="Tập thể của huyện khác")
    client.force_login(secretary)
    url = reverse("councils:item_add", args=[session.pk])
    html = client.get(url).content.decode()
    assert effective_model.name in html and "Ban Dân vận xã Hàm Đức" in html
    for name in (not_effective.name, foreign.name, already.name, "Tập thể của huyện khác"):
        assert name not in html, name
    # A record outside the list is refused even when posted by hand.
    page = client.post(url, {"model": foreign.pk, "method": "ballot"})
    assert page.status_code == 200 and not AgendaItem.objects.exists()
    client.post(url, {"model": effective_model.pk, "method": "ballot"})
    first = proposal.subjects.order_by("id").first()
    assert client.post(url, {"subject": first.pk, "method": "paper", "another": "1"}).url == url
    items = list(session.items.order_by("order"))
    assert [(i.kind, i.method, i.order) for i in items] == [("model", "ballot", 1), ("commendation", "paper", 2)]
    html = client.get(url).content.decode()
    assert effective_model.name not in html and f'value="{first.pk}"' not in html  # not offered twice
    # Taken off the agenda after a confirmation.
    remove = reverse("councils:item_remove", args=[items[1].pk])
    assert "Bỏ “" in client.get(remove).content.decode()
    client.post(remove)
    assert list(session.items.values_list("kind", flat=True)) == ["model"]


def test_the_agenda_page_says_when_there_is_nothing_to_consider(client, session, secretary):
    client.force_login(secretary)
    html = client.get(reverse("councils:item_add", args=[session.pk])).content.decode()
    assert "Hiện không có mô hình hay đề nghị khen thưởng nào chờ Hội đồng xét." in html


def test_the_secretary_appoints_a_member_and_an_expert_who_are_told_and_may_score(
        client, tree, phase, session, secretary, seats, make_user, effective_model, people):
    rubric = RubricFactory(phase=phase)
    expert = make_user(tree["commune"], "canbo", username="chuyen_gia", full_name="Võ Văn Gia")
    services.item_add(user=secretary, session=session, model=effective_model)
    client.force_login(secretary)
    url = reverse("councils:evaluators", args=[session.pk])
    assert "Chưa phân công ai chấm điểm." in client.get(url).content.decode()
    client.post(url, {"evaluator": seats[3].user.pk, "rubric": rubric.pk})
    client.post(url, {"evaluator": expert.pk, "rubric": rubric.pk})
    assert dict(Evaluator.objects.values_list("user__username", "is_expert")) == {
        seats[3].user.username: False, "chuyen_gia": True}
    assert _notified("council.evaluation_assigned") == {seats[3].user.username, "chuyen_gia"}
    # The expert holds no seat, yet opens the grid of this session (and nothing else of the council).
    client.force_login(expert)
    assert client.get(reverse("councils:evaluation_grid", args=[session.pk])).status_code == 200
    index = client.get(reverse("councils:index")).content.decode()
    assert reverse("councils:evaluation_grid", args=[session.pk]) in index
    assert client.get(reverse("councils:council_detail", args=[session.council_id])).status_code == 404
    # A plain member may not appoint.
    client.force_login(seats[4].user)
    assert client.post(url, {"evaluator": seats[4].user.pk, "rubric": rubric.pk}).status_code == 403
    # Withdrawn after a confirmation.
    client.force_login(secretary)
    remove = reverse("councils:evaluator_remove", args=[Evaluator.objects.get(user=expert).pk])
    assert "Rút phân công chấm điểm của Võ Văn Gia?" in client.get(remove).content.decode()
    client.post(remove)
    assert not Evaluator.objects.filter(user=expert).exists()


def test_an_administrator_without_a_seat_prepares_but_does_not_run_a_session(client, council, session, people):
    client.force_login(people["admin"])
    response = client.post(reverse("councils:session_create", args=[council.pk]), {"date": "2025-11-03"})
    assert response.status_code == 302 and Session.objects.count() == 2
    assert client.post(reverse("councils:session_open", args=[session.pk])).status_code == 403
    assert Session.objects.get(pk=session.pk).status == "planned"
    assert dt.date(2025, 11, 3) in set(Session.objects.values_list("date", flat=True))
