"""Working days across Tết, public consultation (rate limit, moderation) and the minutes' text."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from awards.models import AwardForm
from councils import calendar, selectors, services
from councils.models import Feedback, FormSetting, Holiday
from tests.councils.conftest import open_session, vote


def test_working_days_skip_weekends_and_tet(db):
    # Tết Bính Ngọ: Monday 16 to Friday 20 February 2026 off (data), weekends around it.
    assert Holiday.objects.filter(date__range=(dt.date(2026, 2, 16), dt.date(2026, 2, 20))).count() == 5
    # 5 working days from Thursday 12/2/2026: 12, 13, then 23, 24, 25 (Tết and two weekends skipped).
    assert calendar.add_working_days(dt.date(2026, 2, 12), 5) == dt.date(2026, 2, 25)
    assert calendar.working_days_between(dt.date(2026, 2, 12), dt.date(2026, 2, 25)) == 5
    # Starting on a Saturday counts from Monday.
    assert calendar.add_working_days(dt.date(2025, 10, 4), 1) == dt.date(2025, 10, 6)
    # 30/4 and 1/5/2026 (Thursday, Friday) off: 3 working days from Wednesday 29/4 end on Tuesday 5/5.
    assert calendar.add_working_days(dt.date(2026, 4, 29), 3) == dt.date(2026, 5, 5)


@pytest.fixture
def consultation(session, secretary, proposal):
    FormSetting.objects.update_or_create(form=AwardForm.CERTIFICATE, defaults={
        "public_consultation": True, "consultation_working_days": 5})
    item = services.item_add(user=secretary, session=session, subject=proposal.subjects.first())
    return services.consultation_publish(user=secretary, item=item, opens_on=dt.date(2026, 2, 12))


@time_machine.travel(dt.datetime(2026, 2, 23, 9, 0), tick=False)
def test_a_candidate_is_published_for_its_working_days_and_feedback_is_held_for_moderation(
        client, consultation, secretary):
    assert consultation.closes_on == dt.date(2026, 2, 25)
    page = client.get(reverse("councils_public:consultations"))
    assert "Ban Dân vận xã Hàm Đức" in page.content.decode()
    url = reverse("councils_public:feedback", args=[consultation.pk])
    response = client.post(url, {"text": "Tập thể này giúp dân làm đường rất nhiệt tình.", "name": "", "contact": ""})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.status == "pending" and feedback.name == ""
    # Held: not shown on the public page nor counted as valid until moderated.
    assert "rất nhiệt tình" not in client.get(reverse("councils_public:consultations")).content.decode()
    assert selectors.feedback_summary(consultation)["approved"] == []
    services.feedback_moderate(user=secretary, feedback=feedback, approve=True)
    assert [f.text for f in selectors.feedback_summary(consultation)["approved"]] == [feedback.text]


@time_machine.travel(dt.datetime(2026, 2, 23, 9, 0), tick=False)
def test_feedback_is_rate_limited_per_sender(client, consultation):
    url = reverse("councils_public:feedback", args=[consultation.pk])
    for i in range(services.FEEDBACK_PER_HOUR):
        assert client.post(url, {"text": f"Ý kiến số {i} về ứng viên này."}).status_code == 302
    refused = client.post(url, {"text": "Ý kiến thêm một lần nữa."})
    assert refused.status_code == 429
    assert Feedback.objects.count() == services.FEEDBACK_PER_HOUR
    # Another address is not limited by the first one.
    other = client.post(url, {"text": "Ý kiến của người khác."}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    # An hour later the first sender may write again.
    with time_machine.travel(dt.datetime(2026, 2, 23, 10, 1), tick=False):
        assert client.post(url, {"text": "Ý kiến sau một giờ."}).status_code == 302


def test_feedback_outside_the_period_is_refused(consultation):
    with time_machine.travel(dt.datetime(2026, 2, 26, 9, 0), tick=False), pytest.raises(ValidationError):
        services.feedback_submit(consultation=consultation, text="Quá hạn góp ý rồi.", client_address="1.2.3.4")


def test_voting_waits_for_the_end_of_the_consultation(consultation, session, secretary, seats):
    item = consultation.item
    with time_machine.travel(dt.datetime(2026, 2, 24, 9, 0), tick=False):
        open_session(session, secretary, seats)
        with pytest.raises(ValidationError, match="lấy ý kiến"):
            services.voting_open(user=secretary, item=item)
    with time_machine.travel(dt.datetime(2026, 2, 26, 9, 0), tick=False):
        services.voting_open(user=secretary, item=item)


def test_minutes_are_numbered_and_say_attendance_quorum_conflicts_tallies_and_conclusions(
        session, secretary, seats, items, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    open_session(session, secretary, seats[:4])
    services.conflict_declare(user=seats[3].user, item=items[1], reason="Người thân của chủ tịch Hội nông dân")
    services.voting_open(user=secretary, item=items[0])
    vote(items[0], [(seats[0], "agree"), (seats[1], "agree"), (seats[2], "agree"), (seats[3], "disagree")])
    services.item_close(user=secretary, item=items[0])
    services.voting_open(user=secretary, item=items[1])
    vote(items[1], [(seats[0], "agree"), (seats[1], "disagree"), (seats[2], "abstain")])
    services.item_close(user=secretary, item=items[1])
    entry = services.minutes_issue(user=secretary, session=session)
    assert entry.doc_type == "BB" and entry.number == 1 and entry.kind == "council-minutes"
    with pytest.raises(ValidationError, match="đã được ban hành"):
        services.minutes_issue(user=secretary, session=session)
    pdf = (tmp_path / entry.pdf_path).read_bytes()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "BIÊN BẢN", f"Số {entry.symbol}", "Tổng số thành viên Hội đồng: 5; có mặt: 4; vắng mặt: 1",
        "Hoàng Thị Viên", "Vắng mặt", "phiên họp đủ điều kiện biểu quyết",
        "Ban Dân vận xã Hàm Đức", "3 đồng ý, 1 không đồng ý, 0 không biểu quyết",
        "Kết luận: Đạt: 3/5 thành viên đồng ý",
        "Phạm Văn Ủy (Người thân của chủ tịch Hội nông dân)",
        "Kết luận: Không đạt: 1/4 thành viên đồng ý",
        "THƯ KÝ", "Nguyễn Thị Thư", "CHỦ TỊCH", "Trần Văn Chủ",
    ):
        assert expected in text, expected
    assert (tmp_path / entry.docx_path).exists()
