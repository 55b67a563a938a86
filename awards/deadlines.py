"""The deadlines of the emulation awards: quarterly review rounds and the yearly pledges.

Discovered by `plans.reminders.discover()`. Every pass resolves recipients from the data as it
is then, in a fixed number of queries whatever the number of units: a person who has
self-assessed, a member who has submitted their scores, someone who has registered a pledge, a
closed round or a person moved elsewhere is reminded no more.

Settings (all optional):
- `AWARDS_SELF_ASSESSMENT_DAYS` (default 7): people self-assess within this many days of a
  round opening;
- `AWARDS_ROUND_MEETING_DAYS` (default 10): a round without a meeting date closes at the
  periodic meeting held this many days after its quarter ends (10/4 for the first quarter);
- `AWARDS_PLEDGE_DEADLINE` (default (4, 9), i.e. "trước ngày 09/4"): the day (month, day) before
  which a year's pledges are registered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from plans import dates
from plans.reminders import Deadline
from portal.accounts.models import RoleCode
from portal.units.models import Phase

from .models import Pledge, ReviewRound, ScoreSubmission, SelfAssessment

# Who is expected to register a pledge (as `selectors.PLEDGING_ROLES`).
PLEDGING_ROLES = (RoleCode.STAFF, RoleCode.UNION, RoleCode.CELL, RoleCode.LEADER)


def self_assessment_days() -> int:
    return int(getattr(settings, "AWARDS_SELF_ASSESSMENT_DAYS", 7))


def meeting_days() -> int:
    return int(getattr(settings, "AWARDS_ROUND_MEETING_DAYS", 10))


def pledge_deadline(year: int) -> dt.date:
    """The day before which pledges of `year` are registered (exclusive, like "trước ngày 09/4")."""
    month, day = getattr(settings, "AWARDS_PLEDGE_DEADLINE", (4, 9))
    return dt.date(year, month, day)


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter."""
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return after - dt.timedelta(days=1)


def round_meeting(rnd_year: int, quarter: int, meeting_date: dt.date | None) -> tuple[dt.date, bool]:
    """The day of the periodic meeting that closes a round, and whether it was set by the committee."""
    if meeting_date:
        return meeting_date, True
    return quarter_end(rnd_year, quarter) + dt.timedelta(days=meeting_days()), False


def _local_years(start: dt.datetime, end: dt.datetime, before: int = 0) -> list[int]:
    return list(range(dates.localtime(start).year - before, dates.localtime(end).year + 1))


class RoundOpenSource:
    """Đợt đánh giá quý đã mở: when a round opens, each holder of an accepted pledge of the
    round's unit and year (the person, or whoever registered a collective pledge) is reminded to
    write their self-assessment, due `AWARDS_SELF_ASSESSMENT_DAYS` after the opening (the first
    step, "7 days before", therefore goes out at the opening itself), once more the day before
    and once when it is due. One deadline per pledge, so each person gets the link to their own
    self-assessment; it stops once they have written it or the round is closed."""

    kind = "review_round_open"
    label = "Mở đợt đánh giá quý: tự đánh giá"

    @property
    def default_schedule(self) -> dict:
        return {
            "days_before": [self_assessment_days(), 1], "remind_overdue": True, "repeat_overdue_days": 0,
            "max_overdue_days": 3, "escalate_after_days": None,
        }

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        window = dt.timedelta(days=self_assessment_days())
        rounds = {
            r[0]: r for r in ReviewRound.objects.filter(
                status=ReviewRound.Status.OPEN, opened_at__gte=start - window, opened_at__lt=end - window
            ).values_list("pk", "unit_id", "year", "quarter", "opened_at", "unit__name")
        }
        if not rounds:
            return []
        by_unit_year: dict[tuple[int, int], list[int]] = defaultdict(list)
        for pk, unit_id, year, *_ in rounds.values():
            by_unit_year[(unit_id, year)].append(pk)
        assessed = set(SelfAssessment.objects.filter(round_id__in=list(rounds)).values_list("round_id", "pledge_id"))
        pledges = Pledge.objects.filter(
            status=Pledge.Status.ACCEPTED, unit_id__in={u for u, _ in by_unit_year},
            year__in={y for _, y in by_unit_year},
        )
        if user is not None:
            pledges = pledges.filter(Q(person=user) | Q(person__isnull=True, created_by=user))
        found = []
        for pk, unit_id, year, person_id, person_active, creator_id, creator_active, collective in (
            pledges.values_list("pk", "unit_id", "year", "person_id", "person__is_active", "created_by_id",
                                "created_by__is_active", "collective_name")
        ):
            holder, active = (person_id, person_active) if person_id else (creator_id, creator_active)
            if not holder or not active:
                continue
            for round_id in by_unit_year.get((unit_id, year), ()):
                if (round_id, pk) in assessed:
                    continue
                _, _, _, quarter, opened_at, unit_name = rounds[round_id]
                whose = f"bản đăng ký của tập thể {collective}" if collective else "bản đăng ký của đồng chí"
                found.append(
                    Deadline(
                        key=f"awards.round-self:{round_id}:{pk}", due_at=opened_at + window,
                        recipients=frozenset([holder]),
                        title=f"Đợt đánh giá quý {quarter}/{year} đã mở: tự đánh giá {whose}",
                        url=reverse("awards:self_assessment", args=[round_id, pk]), kind=self.kind,
                        detail=(
                            f"BCH Công đoàn {unit_name} đã mở đợt đánh giá quý {quarter}/{year}. "
                            "Đề nghị nêu kết quả đạt được trong quý và minh chứng."
                        ),
                    )
                )
        return found


class RoundClosingSource:
    """Đợt đánh giá quý sắp kết thúc: in the last days before a round closes — at its periodic
    meeting (`meeting_date`; without one, `AWARDS_ROUND_MEETING_DAYS` after the quarter ends),
    due at the start of that day — each Union Executive Committee member (`congdoan`) of the
    round's unit who has not submitted their scores is reminded; overdue repeats while the round
    stays open, and the round's chair is told after a few days."""

    kind = "review_round_closing"
    label = "Đợt đánh giá quý sắp kết thúc: nộp kết quả chấm"
    default_schedule = {
        "days_before": [3, 1], "remind_overdue": True, "repeat_overdue_days": 3,
        "max_overdue_days": 15, "escalate_after_days": 3,
    }

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        # A meeting is on or after the quarter's end: look one year back for Q4 (and late meetings).
        rounds = ReviewRound.objects.filter(
            status=ReviewRound.Status.OPEN, year__in=_local_years(start, end, before=1)
        )
        if user is not None:
            rounds = rounds.filter(unit_id=user.unit_id or 0)
        due: dict[int, tuple] = {}
        for pk, unit_id, year, quarter, meeting_date, chair_id, chair_active, unit_name in rounds.values_list(
            "pk", "unit_id", "year", "quarter", "meeting_date", "chair_id", "chair__is_active", "unit__name"
        ):
            day, set_by_committee = round_meeting(year, quarter, meeting_date)
            due_at = dates.local_midnight(day)
            if start <= due_at < end:
                due[pk] = (unit_id, year, quarter, day, set_by_committee, chair_id if chair_active else None,
                           unit_name, due_at)
        if not due:
            return []
        members = get_user_model().objects.filter(
            is_active=True, roles__code=RoleCode.UNION, unit_id__in={v[0] for v in due.values()}
        ).values_list("pk", "unit_id").distinct()
        by_unit = defaultdict(set)
        for pk, unit_id in members:
            by_unit[unit_id].add(pk)
        submitted = set(ScoreSubmission.objects.filter(round_id__in=list(due)).values_list("round_id", "member_id"))
        found = []
        for round_id, (unit_id, year, quarter, day, set_by_committee, chair_id, unit_name, due_at) in sorted(
            due.items()
        ):
            recipients = frozenset(m for m in by_unit[unit_id] if (round_id, m) not in submitted)
            if not recipients:
                continue
            meeting = f"họp định kỳ ngày {day:%d/%m/%Y}" if set_by_committee else (
                f"họp định kỳ dự kiến ngày {day:%d/%m/%Y}"
            )
            found.append(
                Deadline(
                    key=f"awards.round-close:{round_id}", due_at=due_at, recipients=recipients,
                    title=f"Đợt đánh giá quý {quarter}/{year} của {unit_name} sắp kết thúc: nộp kết quả chấm điểm",
                    url=reverse("awards:score_grid", args=[round_id]), kind=self.kind,
                    escalate_to=frozenset([chair_id]) if chair_id else frozenset(),
                    detail=f"Đợt đánh giá kết thúc tại cuộc {meeting}; thành viên BCH Công đoàn "
                    "chấm đủ và nộp kết quả trước cuộc họp.",
                )
            )
        if user is not None:
            found = [d for d in found if user.pk in d.recipients or user.pk in d.escalate_to]
        return found


class PledgeSource:
    """Đăng ký thi đua chưa nộp: in every unit that has a Union Executive Committee (an active
    `congdoan` member), the people expected to pledge (staff, committee members, Party cell,
    leadership) who have no pledge of the year — any status counts, as on the committee's
    "chưa đăng ký" page — are reminded before `AWARDS_PLEDGE_DEADLINE` (default "trước ngày
    09/4", the registration date of the plan 54-KH/BDVTU, in time for the first quarter's
    periodic meeting) and weekly after it for a month; the unit's committee is told after two
    weeks. Only years of a phase of the movement are reminded."""

    kind = "pledge_registration"
    label = "Đăng ký thi đua “Dân vận khéo” hằng năm"
    default_schedule = {
        "days_before": [14, 3], "remind_overdue": True, "repeat_overdue_days": 7,
        "max_overdue_days": 28, "escalate_after_days": 14,
    }

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        years = [
            y for y in _local_years(start, end, before=1)
            if start <= dates.local_midnight(pledge_deadline(y)) < end
        ]
        if not years:
            return []
        spans = [(p.start_year, p.end_year) for p in Phase.all_cached()]
        years = [y for y in years if any(a <= y <= b for a, b in spans)]
        if not years:
            return []
        if user is not None and not user.unit_id:
            return []
        User = get_user_model()
        committees = User.objects.filter(is_active=True, roles__code=RoleCode.UNION, unit__is_active=True)
        if user is not None:
            committees = committees.filter(unit_id=user.unit_id)
        union_by_unit: dict[int, set[int]] = defaultdict(set)
        unit_names: dict[int, str] = {}
        for pk, unit_id, name in committees.values_list("pk", "unit_id", "unit__name"):
            union_by_unit[unit_id].add(pk)
            unit_names[unit_id] = name
        if not union_by_unit:
            return []
        found = []
        for year in years:
            people = (
                User.objects.filter(is_active=True, unit_id__in=list(union_by_unit), roles__code__in=PLEDGING_ROLES)
                .exclude(Exists(Pledge.objects.filter(person=OuterRef("pk"), year=year)))
                .values_list("pk", "unit_id").distinct()
            )
            missing: dict[int, set[int]] = defaultdict(set)
            for pk, unit_id in people:
                missing[unit_id].add(pk)
            day = pledge_deadline(year)
            for unit_id in sorted(missing):
                found.append(
                    Deadline(
                        key=f"awards.pledge:{unit_id}:{year}", due_at=dates.local_midnight(day),
                        recipients=frozenset(missing[unit_id]),
                        title=f"Đăng ký thi đua “Dân vận khéo” năm {year} – {unit_names[unit_id]}",
                        url=reverse("awards:pledge_create"), kind=self.kind,
                        escalate_to=frozenset(union_by_unit[unit_id]),
                        detail=(
                            f"Hạn đăng ký: trước ngày {day:%d/%m/%Y}. Mỗi người chọn 01 trong 02 nội dung, "
                            "gửi bản đăng ký cho Ban Chấp hành Công đoàn tổng hợp, theo dõi."
                        ),
                    )
                )
        if user is not None:
            found = [d for d in found if user.pk in d.recipients or user.pk in d.escalate_to]
        return found


def deadline_sources() -> list:
    return [RoundOpenSource(), RoundClosingSource(), PledgeSource()]
