"""Demo data of the awards app: pledges, four quarterly reviews a year, praise, annual results.

People of the demo agency (the Ban Dân vận before 1/7/2025, the Ban Tuyên giáo và Dân vận after)
and of a sample of agencies register most years; each past quarter has a closed round whose
members score with their own leniency, some drafts left unsubmitted; the current quarter is open,
waiting for the demo committee member. Everything derives from `ctx.rng`; bulk inserts only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from portal import scoring
from portal.accounts.models import User
from portal.bulk import copy_create
from portal.text import fold

from .models import (
    AnnualResult,
    CommendationProposal,
    Pledge,
    PledgeCommitment,
    PledgeContent,
    PledgeEvent,
    Praise,
    ReviewComment,
    ReviewRound,
    RubricCriterion,
    Score,
    ScoreSubmission,
    SelfAssessment,
)
from .pledges.services import DEFAULT_CONTENTS, DEFAULT_RUBRIC

COMMITMENTS = {
    "chuyen-mon": [
        ("Tham mưu ban hành hướng dẫn xây dựng mô hình “Dân vận khéo”", "Quý II", "Hướng dẫn được ban hành đúng hạn"),
        ("Theo dõi, tổng hợp báo cáo phong trào của các địa phương", "Hằng quý", "Báo cáo gửi đúng hạn, đủ số liệu"),
        ("Đề xuất 01 giải pháp cải tiến quy trình công việc của phòng", "Quý III", "Giải pháp được lãnh đạo Ban chấp thuận"),
        ("Phối hợp kiểm tra việc thực hiện phong trào tại cơ sở", "Tháng 7", "Biên bản kiểm tra, kiến nghị cụ thể"),
        ("Hoàn thành 100% nhiệm vụ chuyên môn được giao", "Cả năm", "Đánh giá cuối năm của lãnh đạo phòng"),
    ],
    "hoc-tap-lam-theo": [
        ("Tham gia đầy đủ các lớp bồi dưỡng lý luận chính trị", "Cả năm", "Giấy chứng nhận hoàn thành"),
        ("Tham gia mô hình “Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa”", "Hằng tháng", "Sổ theo dõi đóng góp"),
        ("Giúp đỡ 01 hộ khó khăn theo mô hình “Một giúp một”", "Cả năm", "Biên bản xác nhận của thôn"),
        ("Viết 02 bài tuyên truyền gương người tốt, việc tốt", "Quý IV", "Bài được đăng trên trang thông tin"),
        ("Tự học nâng cao trình độ tin học, ngoại ngữ", "Cả năm", "Chứng chỉ đạt được"),
    ],
}
ACHIEVEMENTS = [
    "Hoàn thành các việc đã cam kết trong quý, đúng tiến độ.",
    "Hoàn thành phần lớn cam kết; một việc đang tiếp tục thực hiện.",
    "Chủ động tham mưu, được lãnh đạo Ban ghi nhận.",
    "Tham gia đầy đủ các hoạt động của cơ quan và địa phương.",
]
EVIDENCE = ["Báo cáo quý của phòng", "Công văn số {n}-CV/BDVTU", "Biên bản họp chi bộ tháng {m}",
            "Hình ảnh hoạt động tại thôn", "Giấy chứng nhận hoàn thành lớp bồi dưỡng"]
COMMENTS = ["Hoàn thành tốt, chủ động.", "Cần cụ thể hơn minh chứng.", "Có tiến bộ so với quý trước.",
            "Đúng tiến độ cam kết.", "Nên chia sẻ cách làm cho các phòng khác.", ""]
PRAISE_REASONS = ["Dẫn đầu kết quả đánh giá quý, chủ động, sáng tạo trong tham mưu.",
                  "Gương mẫu, tận tụy; hoàn thành vượt cam kết.",
                  "Có cách làm hay được nhân rộng trong cơ quan."]
AGENCY_SAMPLE = {"small": 3, "province": 20, "nation": 30, "nation5": 950}


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed(ctx) -> None:
    rng = ctx.rng
    # Contents of every phase.
    contents: dict[int, list[PledgeContent]] = {}
    for phase in ctx.phases.values():
        existing = list(PledgeContent.objects.filter(phase=phase))
        if not existing:
            existing = PledgeContent.objects.bulk_create(
                [PledgeContent(phase=phase, code=code, title=title, description=description, order=i)
                 for i, (code, title, description) in enumerate(DEFAULT_CONTENTS, start=1)]
            )
        contents[phase.pk] = existing

    union_ids = set(User.objects.filter(roles__code="congdoan").values_list("pk", flat=True))
    all_people = {pid for ids in ctx.people_by_unit.values() for pid in ids}
    names = dict(User.objects.filter(pk__in=all_people).values_list("pk", "full_name"))
    demo_union = ctx.demo_users.get("congdoan")

    # Which units take part each year: the demo agency and a fixed sample of agencies.
    plan: list[tuple[int, int]] = []  # (year, unit id)
    for year in ctx.years:
        demo = ctx.demo_unit if ctx.era(year) == "new" else ctx.demo_unit_old
        agencies = sorted(set(ctx.units(year, "agency")) - {ctx.demo_unit.pk, ctx.demo_unit_old.pk})
        sample = sorted(rng.sample(agencies, min(AGENCY_SAMPLE.get(ctx.size, 3), len(agencies))))
        plan += [(year, demo.pk)] + [(year, a) for a in sample]

    # Pledges: most people register; the current year still has some waiting or returned.
    pledges: list[Pledge] = []
    for year, unit_id in plan:
        phase = ctx.phase_for(year)
        for person_id in ctx.people(unit_id):
            if person_id == getattr(demo_union, "pk", None) and year == ctx.today.year:
                pass  # the demo committee member registered too
            elif rng.random() > 0.88:
                continue
            content = rng.choice(contents[phase.pk])
            status = Pledge.Status.ACCEPTED
            if year == ctx.today.year:
                status = rng.choices([Pledge.Status.ACCEPTED, Pledge.Status.SUBMITTED, Pledge.Status.RETURNED,
                                      Pledge.Status.DRAFT], [80, 10, 5, 5])[0]
            name = names.get(person_id, "")
            created = _aware(dt.date(year, 1, rng.randint(5, 28)))
            pledges.append(Pledge(
                phase=phase, year=year, unit_id=unit_id, kind=Pledge.Kind.INDIVIDUAL, person_id=person_id,
                content=content, status=status, goal="Thực hiện tốt phong trào thi đua “Dân vận khéo” năm "
                f"{year}.", search_folded=fold(name), created_by_id=person_id,
                submitted_at=None if status == Pledge.Status.DRAFT else created + dt.timedelta(days=1),
                decided_at=created + dt.timedelta(days=5) if status in (Pledge.Status.ACCEPTED,
                                                                        Pledge.Status.RETURNED) else None,
                review_comment="Đề nghị bổ sung cách đo kết quả." if status == Pledge.Status.RETURNED else "",
            ))
        if unit_id in (ctx.demo_unit.pk, ctx.demo_unit_old.pk):
            pledges.append(Pledge(
                phase=phase, year=year, unit_id=unit_id, kind=Pledge.Kind.COLLECTIVE,
                collective_name="Phòng Dân vận các cơ quan nhà nước",
                collective_folded=fold("Phòng Dân vận các cơ quan nhà nước"),
                search_folded=fold("Phòng Dân vận các cơ quan nhà nước"), content=contents[phase.pk][0],
                status=Pledge.Status.ACCEPTED, created_by=demo_union,
                submitted_at=_aware(dt.date(year, 1, 20)), decided_at=_aware(dt.date(year, 1, 25)),
            ))
    copy_create(Pledge, pledges, batch_size=2000)
    content_code = {c.pk: c.code for cs in contents.values() for c in cs}
    commitments, events = [], []
    for p in pledges:
        for i, (what, due, measure) in enumerate(rng.sample(COMMITMENTS.get(content_code[p.content_id],
                                                                            COMMITMENTS["chuyen-mon"]), 3)):
            commitments.append(PledgeCommitment(pledge=p, what=what, due=f"{due} năm {p.year}",
                                                measure=measure, order=i))
        events.append(PledgeEvent(pledge=p, action="create", to_status="draft", actor_id=p.created_by_id))
        if p.submitted_at:
            events.append(PledgeEvent(pledge=p, action="submit", from_status="draft", to_status="submitted",
                                      actor_id=p.created_by_id))
        if p.decided_at:
            events.append(PledgeEvent(pledge=p, action="accept" if p.status == "accepted" else "return",
                                      from_status="submitted", to_status=p.status, comment=p.review_comment))
    copy_create(PledgeCommitment, commitments, batch_size=5000)
    copy_create(PledgeEvent, events, batch_size=5000)

    # Rounds: every quarter that has ended is closed; the current quarter is open.
    accepted = defaultdict(list)
    for p in pledges:
        if p.status == Pledge.Status.ACCEPTED:
            accepted[(p.year, p.unit_id)].append(p)
    quality = {p.pk: rng.gauss(7.4, 1.1) for p in pledges}
    rounds: list[ReviewRound] = []
    round_members: dict[int, list[int]] = {}
    for year, unit_id in plan:
        members = [pid for pid in ctx.people(unit_id) if pid in union_ids]
        if not members or not accepted[(year, unit_id)]:
            continue
        chair = demo_union.pk if demo_union and demo_union.pk in members else members[0]
        for quarter in (1, 2, 3, 4):
            end = _quarter_end(year, quarter)
            start = end.replace(day=1) - dt.timedelta(days=62)
            if start > ctx.today:
                break
            closed = end < ctx.today
            rounds.append(ReviewRound(
                unit_id=unit_id, phase=ctx.phase_for(year), year=year, quarter=quarter, chair_id=chair,
                status=ReviewRound.Status.CLOSED if closed else ReviewRound.Status.OPEN,
                meeting_date=end + dt.timedelta(days=10) if closed else None,
                opened_at=_aware(start + dt.timedelta(days=70)),
                closed_at=_aware(end + dt.timedelta(days=12)) if closed else None,
            ))
            round_members[len(rounds) - 1] = members
    copy_create(ReviewRound, rounds, batch_size=2000)

    criteria: list[RubricCriterion] = []
    for rnd in rounds:
        for content in contents[rnd.phase_id]:
            for order, (name, description, weight, max_score) in enumerate(DEFAULT_RUBRIC[content.code]):
                criteria.append(RubricCriterion(round=rnd, content=content, name=name, description=description,
                                                weight=weight, max_score=max_score, order=order))
    copy_create(RubricCriterion, criteria, batch_size=5000)
    criteria_by_round = defaultdict(list)
    for c in criteria:
        criteria_by_round[c.round_id].append(c)

    scores, comments, submissions, assessments, praises = [], [], [], [], []
    results_by_unit_year = defaultdict(list)  # (unit, year) -> [(pledge id, mean, mean z)]
    praise_counts = defaultdict(int)
    for index, rnd in enumerate(rounds):
        members = round_members[index]
        leniency = {m: rng.gauss(0, 0.9) for m in members}
        the_pledges = accepted[(rnd.year, rnd.unit_id)]
        by_content = defaultdict(list)
        for c in criteria_by_round[rnd.pk]:
            by_content[c.content_id].append(c)
        # Most people write their self-assessment; a few forget.
        for p in the_pledges:
            if rng.random() < 0.85:
                assessments.append(SelfAssessment(
                    round=rnd, pledge=p, achievements=rng.choice(ACHIEVEMENTS),
                    evidence=rng.choice(EVIDENCE).format(n=rng.randint(10, 480), m=rnd.quarter * 3),
                    author_id=p.created_by_id))
        submitted, round_scores = [], []
        for m in members:
            is_demo_open = rnd.status == ReviewRound.Status.OPEN and demo_union and m == demo_union.pk
            # In a closed round most members submitted; one sometimes left a draft (missing scores).
            will_submit = rnd.status == ReviewRound.Status.CLOSED and (len(members) == 1 or rng.random() < 0.9)
            if is_demo_open:
                continue  # the demo member's grid is waiting, empty
            drop = 0.0 if will_submit else 0.4
            for p in the_pledges:
                if p.person_id == m:
                    continue  # nobody scores their own pledge
                if not will_submit and rng.random() < drop:
                    continue
                for c in by_content[p.content_id]:
                    raw = quality[p.pk] + leniency[m] + rng.gauss(0, 0.7)
                    value = min(float(c.max_score), max(0.0, round(raw * 2) / 2))
                    scores.append(Score(round=rnd, member_id=m, pledge=p, criterion=c, value=Decimal(str(value))))
                    if will_submit:
                        round_scores.append((m, p.pk, c.pk, value))
                if rng.random() < 0.5:
                    comments.append(ReviewComment(round=rnd, member_id=m, pledge=p, text=rng.choice(COMMENTS)))
            if will_submit:
                submitted.append(m)
                submissions.append(ScoreSubmission(round=rnd, member_id=m))
        if rnd.status != ReviewRound.Status.CLOSED:
            continue
        crit = [c.for_scoring(c.content_id) for c in criteria_by_round[rnd.pk]]
        results = scoring.aggregate(criteria=crit, subject_groups={p.pk: p.content_id for p in the_pledges},
                                    scores=round_scores)
        ranked = sorted((r for r in results.values() if r.rank), key=lambda r: r.rank)
        for r in ranked[: rng.choice([1, 2, 2])]:
            praises.append(Praise(round=rnd, pledge_id=r.subject_id, reason=rng.choice(PRAISE_REASONS),
                                  selected_by_id=rnd.chair_id))
            praise_counts[(r.subject_id, rnd.year)] += 1
        for r in results.values():
            if r.mean is not None:
                results_by_unit_year[(rnd.unit_id, rnd.year)].append((r.subject_id, r.mean, r.mean_z))
    copy_create(SelfAssessment, assessments, batch_size=5000)
    copy_create(Score, scores, batch_size=10000)
    copy_create(ReviewComment, comments, batch_size=5000)
    copy_create(ScoreSubmission, submissions, batch_size=5000)
    copy_create(Praise, praises, batch_size=5000)

    # Annual results for the years whose four quarters are over, and the proposals to the cell.
    annual, proposals = [], []
    for (unit_id, year), rows in results_by_unit_year.items():
        if year >= ctx.today.year:
            continue
        per = defaultdict(lambda: ([], []))
        for pledge_id, mean, z in rows:
            per[pledge_id][0].append(mean)
            per[pledge_id][1].append(z)
        mean_z = {pid: sum(v[1]) / len(v[1]) for pid, v in per.items()}
        ranks = scoring.competition_rank(mean_z)
        for pid, (totals, _zs) in per.items():
            annual.append(AnnualResult(
                pledge_id=pid, unit_id=unit_id, year=year, quarters_reviewed=len(totals),
                mean_total=Decimal(f"{sum(totals) / len(totals):.2f}"), mean_z=Decimal(f"{mean_z[pid]:.4f}"),
                praise_count=praise_counts[(pid, year)], rank=ranks[pid]))
    copy_create(AnnualResult, annual, batch_size=5000)
    chair_of = {(r.unit_id, r.year): r.chair_id for r in rounds}
    for result in annual:
        if result.rank and result.rank <= 2:
            proposals.append(CommendationProposal(
                result=result, unit_id=result.unit_id, year=result.year, proposed_by_id=chair_of.get(
                    (result.unit_id, result.year)),
                reason=f"Xếp hạng {result.rank} cả năm {result.year}, {result.praise_count} lần được biểu dương."))
    copy_create(CommendationProposal, proposals, batch_size=5000)
    seed_commendations(ctx)


# --- Commendations on 15/10 (issue 5) -------------------------------------------------------------

def seed_commendations(ctx) -> None:
    """Each past 15/10: the province leadership commends models and exemplars (decided, with
    certificates), the demo agency's Party cell commends its union committee's proposals; the
    phase 2021 – 2025 has its final summary; one commune's proposal waits for the demo leadership."""
    import datetime as dt

    from models_registry.models import DvkModel, RecognitionLevel, State

    from .commendations import selectors as cs
    from .models import (
        AwardDecision,
        AwardEvent,
        AwardForm,
        AwardLevel,
        AwardProposal,
        AwardSubject,
        Occasion,
        ProposingBody,
    )

    rng = ctx.rng
    cap = {"small": 12, "province": 160}.get(ctx.size, 160)
    leader = ctx.demo_users.get("lanhdao")
    cell = ctx.demo_users.get("chiuy")
    used: set[tuple[str, str, int, str]] = set()
    codes: set[str] = set()

    def code() -> str:
        while True:
            c = f"{rng.getrandbits(40):010X}"
            if c not in codes:
                codes.add(c)
                return c

    def decide(proposal, subjects, number, date, signer_title, signer_name):
        decision = AwardDecision.objects.create(proposal=proposal, unit=proposal.decider_unit, number=number,
                                                date=date, signer_title=signer_title, signer_name=signer_name,
                                                decided_by=leader)
        n = 0
        for s in subjects:
            if rng.random() < 0.06:
                s.status, s.rejection_reason = AwardSubject.Status.REJECTED, "Chưa đủ minh chứng về hiệu quả."
            else:
                n += 1
                s.status, s.decision, s.certificate_no, s.code = AwardSubject.Status.APPROVED, decision, n, code()
        return decision

    def add(subjects, proposal, *, kind, key, name, unit_id, form, level, reason, **extra):
        if (key, proposal.occasion, proposal.year, form) in used:
            return
        used.add((key, proposal.occasion, proposal.year, form))
        subjects.append(AwardSubject(proposal=proposal, kind=kind, subject_key=key, name=name, unit_id=unit_id,
                                     occasion=proposal.occasion, year=proposal.year, form=form, level=level,
                                     reason=reason, order=len(subjects) + 1, **extra))

    subjects: list[AwardSubject] = []
    events: list[AwardEvent] = []
    for year in ctx.years:
        day = dt.date(year, 10, 15)
        if day > ctx.today:
            continue
        agency = ctx.demo_unit if ctx.era(year) == "new" else ctx.demo_unit_old
        # Today's province: the old units were moved under it at the merger, with their records.
        province = ctx.demo_unit.oversees
        phase = ctx.phase_for(year)
        # The province leadership's proposal, decided by the province.
        proposal = AwardProposal.objects.create(
            unit=province, body=ProposingBody.LEADERSHIP, decider_unit=province, occasion=Occasion.DAY_1510,
            year=year, phase=phase, number=f"{year - 2000}-TTr/{agency.code or 'BDV'}", status="decided",
            created_by=leader)
        mine: list[AwardSubject] = []
        models = list(DvkModel.objects.filter(unit__path__startswith=province.path, year=year, state=State.RECOGNISED,
                                              recognition_level__gte=RecognitionLevel.DISTRICT)
                      .select_related("unit").order_by("-recognition_level", "id")[:cap])
        for i, m in enumerate(models):
            top = m.recognition_level == RecognitionLevel.PROVINCE and i < max(2, cap // 10)
            add(mine, proposal, kind="model", key=f"model:{m.pk}", name=m.name, unit_id=m.unit_id, model=m,
                form=AwardForm.PROVINCIAL_EXEMPLAR if top else rng.choice([AwardForm.CERTIFICATE, AwardForm.MERIT]),
                level=AwardLevel.PROVINCE, reason=cs.model_reason(m))
        for r in (AnnualResult.objects.filter(unit__path__startswith=province.path, year=year, rank=1)
                  .select_related("pledge__person", "pledge__content").order_by("unit_id")[:cap // 4]):
            p = r.pledge
            if p.person_id:
                add(mine, proposal, kind="individual", key=f"person:{p.person_id}", name=p.person.full_name,
                    unit_id=p.unit_id, pledge=p, person_id=p.person_id, form=AwardForm.MERIT,
                    level=AwardLevel.PROVINCE, reason=cs.pledge_reason(p))
        decide(proposal, mine, f"{100 + year - 2000}-QĐ/{agency.code or 'BDV'}", day - dt.timedelta(days=5),
               "Trưởng ban", leader.full_name if leader else "")
        subjects += mine
        events += [AwardEvent(proposal=proposal, actor=leader, action=a) for a in ("create", "submit", "decide")]
        # The demo agency's Party cell commends what its union committee proposed.
        received = list(CommendationProposal.objects.filter(unit=agency, year=year,
                                                            status=CommendationProposal.Status.PROPOSED)
                        .select_related("result__pledge__person", "result__pledge__content"))
        if received:
            union = AwardProposal.objects.create(
                unit=agency, body=ProposingBody.UNION, decider_unit=agency, occasion=Occasion.DAY_1510, year=year,
                phase=phase, status="decided", created_by=cell, note="Tiếp nhận đề xuất của Ban Chấp hành Công đoàn.")
            theirs: list[AwardSubject] = []
            for item in received:
                p = item.result.pledge
                if p.person_id:
                    add(theirs, union, kind="individual", key=f"person:{p.person_id}", name=p.person.full_name,
                        unit_id=agency.pk, pledge=p, person_id=p.person_id, form=AwardForm.CERTIFICATE,
                        level=AwardLevel.UNIT, reason=f"{item.reason} {cs.pledge_reason(p)}")
            decide(union, theirs, f"{year - 2000}-QĐ/CB", day - dt.timedelta(days=2), "Bí thư",
                   cell.full_name if cell else "")
            subjects += theirs
            events += [AwardEvent(proposal=union, actor=cell, action=a) for a in ("receive", "decide")]
    # The final summary of 2021 – 2025: the province's provincial-level models of the phase.
    old = ctx.phases.get("2021 – 2025")
    if old is not None and dt.date(old.end_year, 12, 1) <= ctx.today:
        province = ctx.demo_unit.oversees
        final = AwardProposal.objects.create(
            unit=province, body=ProposingBody.LEADERSHIP, decider_unit=province, occasion=Occasion.PHASE_FINAL,
            year=old.end_year, phase=old, status="decided", created_by=leader)
        mine = []
        for m in (DvkModel.objects.filter(unit__path__startswith=ctx.root.path, year__gte=old.start_year,
                                          year__lte=old.end_year, state=State.RECOGNISED,
                                          recognition_level=RecognitionLevel.PROVINCE)
                  .order_by("id")[:cap // 2]):
            add(mine, final, kind="model", key=f"model:{m.pk}", name=m.name, unit_id=m.unit_id, model=m,
                form=AwardForm.MERIT, level=AwardLevel.PROVINCE, reason=cs.model_reason(m))
        decide(final, mine, f"{old.end_year - 2000}-QĐ/TK", dt.date(old.end_year, 12, 1), "Trưởng ban",
               leader.full_name if leader else "")
        subjects += mine
    # Waiting for the demo leadership: a commune's Party cell proposal for this year's 15/10.
    communes = ctx.units(ctx.today.year, "commune")
    if communes and leader is not None:
        from portal.units.models import Unit

        candidates = list(DvkModel.objects.filter(unit_id__in=communes, year=ctx.today.year,
                                                  state__in=[State.RECOGNISED, State.EVALUATED], is_effective=True)
                          .order_by("unit_id", "id")[:3])
        if candidates:
            commune = Unit.objects.get(pk=candidates[0].unit_id)
            pending = AwardProposal.objects.create(
                unit=commune, body=ProposingBody.CELL, decider_unit=Unit.objects.get_parent(commune) or commune,
                occasion=Occasion.DAY_1510, year=ctx.today.year, phase=ctx.phase_for(ctx.today.year),
                status="submitted", number=f"{ctx.today.year - 2000}-TTr/CB")
            mine = []
            for m in candidates:
                if m.unit_id == commune.pk:
                    add(mine, pending, kind="model", key=f"model:{m.pk}", name=m.name, unit_id=m.unit_id, model=m,
                        form=AwardForm.PRAISE, level=AwardLevel.UNIT, reason=cs.model_reason(m))
            subjects += mine
    copy_create(AwardSubject, subjects, batch_size=2000)
    copy_create(AwardEvent, events, batch_size=2000)
