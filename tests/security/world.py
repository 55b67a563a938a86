"""One object of each kind in the own subtree (district H01) and one in the foreign subtree (H02).

`build_world(tree, people, make_user, phase)` returns a `World`: `world.own["model"]`,
`world.foreign["model"]`, ... and the principals (`world.principals`: anonymous and one user per
role, all of the own district except the administrator, who sits at the province).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image

from awards.commendations import services as cs
from awards.models import (
    AnnualResult,
    AwardForm,
    AwardLevel,
    CommendationProposal,
    Occasion,
    Pledge,
    PledgeContent,
    ProposingBody,
    RubricCriterion,
)
from awards.pledges import selectors as award_selectors
from awards.pledges import services as award_services
from councils.models import RECOGNITION, AgendaItem, Consultation, Evaluator
from documents.models import OutgoingDocument
from models_registry.models import Attachment, ExtensionRequest, RecognitionLevel, State
from plans.models import CalendarFeed, FollowUp, Inspection, Notification, PlanItemUpdate
from portal.imports import template_workbook
from portal.models import ImportBatch, ReportRequest
from tests.awards.factories import PledgeFactory
from tests.councils.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    RubricFactory,
    SessionFactory,
)
from tests.models_registry.factories import DvkModelFactory, ProgressReportFactory
from tests.plans.factories import FollowUpFactory, InspectionFactory, PlanFactory, PlanItemFactory

# The principals of the matrix: None is the anonymous visitor.
ROLES = ("admin", "canbo", "congdoan", "chiuy", "lanhdao")
PRINCIPALS = ("anon", *ROLES)
PEOPLE_KEY = {"admin": "admin", "canbo": "staff", "congdoan": "union", "chiuy": "cell", "lanhdao": "leader"}


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 40)).save(out, "JPEG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    principals: dict
    own: dict = field(default_factory=dict)
    foreign: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)

    def side(self, name: str) -> dict:
        return {"own": self.own, "foreign": self.foreign, "shared": self.shared}[name]


def _attachment(model, user, *, image: bool) -> Attachment:
    att = Attachment(model=model, kind=Attachment.Kind.IMAGE if image else Attachment.Kind.PDF,
                     original_name="anh.jpg" if image else "bien-ban.pdf",
                     content_type="image/jpeg" if image else "application/pdf", uploaded_by=user)
    content = jpeg_bytes() if image else PDF_BYTES
    att.file.save(att.original_name, ContentFile(content), save=False)
    att.size = len(content)
    att.save()
    return att


def _side(*, district, commune, staff, union, cell, leader, admin, phase, suffix: str) -> dict:
    objs: dict = {"unit": district, "user": staff}
    # models_registry: a draft, a registered model, a public recognised model with a photo.
    # The draft and the registered model belong to the district itself (a draft is seen only in its unit).
    objs["model"] = DvkModelFactory(unit=district, phase=phase, created_by=staff, state=State.DRAFT,
                                    name=f"Mô hình nháp {suffix}")
    objs["model_registered"] = DvkModelFactory(unit=district, phase=phase, created_by=staff,
                                               state=State.REGISTERED, name=f"Mô hình đã đăng ký {suffix}")
    objs["model_public"] = DvkModelFactory(
        unit=commune, phase=phase, created_by=staff, state=State.RECOGNISED, is_public=True,
        is_effective=True, recognition_level=RecognitionLevel.DISTRICT, recognised_on=dt.date(2025, 9, 20),
        recognised_by=district, name=f"Mô hình công khai {suffix}", slug=f"mo-hinh-cong-khai-{suffix}",
    )
    # A model waiting for the leadership's decision (the bulk approve of the list page).
    objs["model_submitted"] = DvkModelFactory(unit=district, phase=phase, created_by=staff, state=State.SUBMITTED,
                                              name=f"Mô hình chờ duyệt {suffix}")
    objs["progress_report"] = ProgressReportFactory(model=objs["model_registered"], created_by=staff)
    objs["extension"] = ExtensionRequest.objects.create(model=objs["model"], reason="Chờ họp", requested_by=staff)
    objs["attachment"] = _attachment(objs["model"], staff, image=False)
    objs["photo"] = _attachment(objs["model_public"], staff, image=True)
    # reports
    objs["report"] = ReportRequest.objects.create(kind="unit-list", params={"unit_id": district.pk, "s": suffix},
                                                  params_key=f"sec-{suffix}", unit=district, requested_by=staff,
                                                  status=ReportRequest.Status.FAILED)
    # awards: a submitted pledge of the staff member, an open round chaired by the union member
    objs["pledge"] = PledgeFactory(person=staff, unit=district, phase=phase, year=2025, status=Pledge.Status.DRAFT,
                                   content=PledgeContent.objects.filter(phase=phase).first())
    objs["pledge_accepted"] = PledgeFactory(person=leader, unit=district, phase=phase, year=2025,
                                            content=PledgeContent.objects.filter(phase=phase).first())
    # A pledge waiting for the union committee (accept/return).
    objs["pledge_submitted"] = PledgeFactory(person=cell, unit=district, phase=phase, year=2025,
                                             status=Pledge.Status.SUBMITTED,
                                             content=PledgeContent.objects.filter(phase=phase).first())
    rnd = award_services.round_create(user=union, year=2025, quarter=1)
    objs["round"] = award_services.round_open(user=union, rnd=rnd)
    # The criterion a scorer fills for the accepted pledge (score_save).
    objs["criterion"] = RubricCriterion.objects.filter(round=rnd, content_id=objs["pledge_accepted"].content_id
                                                       ).order_by("order", "id").first()
    assert objs["criterion"] is not None
    # The union member has scored every cell of the grid (so submitting is valid; saving overwrites).
    for pledge in award_selectors.round_pledges(rnd):
        for criterion in RubricCriterion.objects.filter(round=rnd, content_id=pledge.content_id):
            award_services.score_save(user=union, rnd=rnd, pledge_id=pledge.pk, criterion_id=criterion.pk, raw="1")
    # The union committee proposed the leader's pledge to the Party cell (proposal_receive).
    result = AnnualResult.objects.create(pledge=objs["pledge_accepted"], unit=district, year=2025,
                                         quarters_reviewed=4, mean_total=Decimal("90"), mean_z=Decimal("0"),
                                         rank=1)
    CommendationProposal.objects.create(result=result, unit=district, year=2025, reason="Tiêu biểu của năm.",
                                        proposed_by=union)
    # commendations: the leadership's 15/10 proposal with one subject (a draft), and a decided one
    proposal = cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510,
                                        year=2025, number=f"12-TTr/{suffix}")
    subject = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=objs["model_public"].pk,
                                   form=AwardForm.CERTIFICATE, level=AwardLevel.PROVINCE)
    objs["proposal"], objs["subject"] = proposal, subject
    # documents: a line of the register entered by hand
    objs["entry"] = OutgoingDocument.objects.create(body_code=f"BDV{suffix}", unit=district, year=2025, number=1,
                                                    doc_type="TB", date=dt.date(2025, 8, 1), is_manual=True,
                                                    summary=f"Thông báo {suffix}")
    # The union committee's proposal, submitted: the Party cell of the same unit decides it.
    union_proposal = cs.award_proposal_create(user=union, body=ProposingBody.UNION, occasion=Occasion.DAY_1510,
                                              year=2025, number=f"3-TTr/CĐ-{suffix}")
    objs["union_subject"] = cs.award_subject_add(user=union, proposal=union_proposal, kind="model",
                                                 target_id=objs["model_public"].pk, form=AwardForm.PRAISE,
                                                 level=AwardLevel.UNIT)
    objs["union_proposal"] = cs.award_proposal_submit(user=union, proposal=union_proposal)
    # plans
    plan = PlanFactory(unit=district, created_by=staff, phase=phase)
    item = PlanItemFactory(plan=plan)
    update = PlanItemUpdate.objects.create(item=item, transition="start", on=dt.date(2026, 2, 1),
                                           status=item.status, note="Đã bắt đầu", author=staff)
    update.evidence.save("minh-chung.pdf", ContentFile(PDF_BYTES))
    inspection = InspectionFactory(unit=district, plan=plan, created_by=staff)
    follow_up = FollowUpFactory(inspection=inspection, unit=commune)
    objs.update(plan=plan, item=item, update=update, inspection=inspection, follow_up=follow_up)
    objs["notification"] = Notification.objects.create(user=staff, title=f"Nhắc việc {suffix}", url="/plans/")
    objs["feed"] = CalendarFeed.objects.create(user=staff)
    return objs


def build_world(tree, people, make_user, phase) -> World:
    award_services.contents_ensure_defaults(phase=phase)
    principals = {"anon": None, **{role: people[key] for role, key in PEOPLE_KEY.items()}}
    world = World(principals=principals)
    foreign_union = make_user(tree["other_district"], "congdoan", username="congdoan_o")
    province_leader = make_user(tree["province"], "lanhdao", username="lanhdao_t")
    foreign_cell = make_user(tree["other_district"], "chiuy", username="chiuy_o")
    world.own = _side(district=tree["district"], commune=tree["commune"], staff=people["staff"],
                      union=people["union"], cell=people["cell"], leader=people["leader"], admin=people["admin"], phase=phase,
                      suffix="h01")
    world.foreign = _side(district=tree["other_district"], commune=tree["other_commune"],
                          staff=people["foreign_staff"], union=foreign_union, cell=foreign_cell,
                          leader=people["foreign_leader"],
                          admin=people["admin"], phase=phase, suffix="h02")
    # A decided proposal on each side gives a verification code.
    for side, leader in ((world.own, people["leader"]), (world.foreign, people["foreign_leader"])):
        proposal = cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP,
                                            occasion=Occasion.PHASE_FINAL, year=2025,
                                            number=f"9-TTr/{side['unit'].code}")
        subject = cs.award_subject_add(user=leader, proposal=proposal, kind="model",
                                       target_id=side["model_public"].pk, form=AwardForm.CERTIFICATE,
                                       level=AwardLevel.PROVINCE)
        cs.award_proposal_submit(user=leader, proposal=proposal)
        cs.award_proposal_decide(user=province_leader, proposal=proposal, number=f"1-QĐ/{side['unit'].code}",
                                 date=dt.date(2025, 10, 10), signer_title="Trưởng ban",
                                 signer_name="Nguyễn Thị Ánh Tuyết", outcomes={subject.pk: (True, "")})
        subject.refresh_from_db()
        side["decided_proposal"], side["decided_subject"] = proposal, subject
    # A council of each district (no principal has a seat: its one member is nobody of the matrix),
    # a session with a model on its agenda, the model published for public comment and scored by
    # the member; the union's proposal passed by the council, waiting for its decision.
    for side in (world.own, world.foreign):
        council = CouncilFactory(unit=side["unit"], name=f"Hội đồng {side['unit'].code}")
        member = make_user(side["unit"], "canbo", username=f"uyvien_{side['unit'].code.lower()}")
        seat = CouncilMemberFactory(council=council, user=member)
        session = SessionFactory(council=council)
        item = AgendaItem.objects.create(session=session, kind=AgendaItem.Kind.MODEL, model=side["model_public"],
                                         title=str(side["model_public"]), form=RECOGNITION)
        consultation = Consultation.objects.create(item=item, opens_on=dt.date(2025, 1, 1),
                                                   closes_on=dt.date(2025, 1, 7), working_days=5)
        evaluator = Evaluator.objects.create(session=session, user=member, rubric=RubricFactory(phase=phase))
        AgendaItem.objects.create(session=session, kind=AgendaItem.Kind.COMMENDATION, subject=side["union_subject"],
                                  title=side["union_subject"].name, form=side["union_subject"].form,
                                  status=AgendaItem.Status.CLOSED, outcome=AgendaItem.Outcome.PASSED,
                                  agree=1, disagree=0, abstain=0, members_total=1, members_present=1,
                                  conclusion="Đạt: 1/1 thành viên đồng ý.")
        side.update(council=council, session=session, council_item=item, consultation=consultation,
                    council_seat=seat, evaluator=evaluator)
    # Things without a subtree: the phase, a pledge content, an import batch of the administrator.
    world.shared["phase"] = phase
    world.shared["content"] = PledgeContent.objects.filter(phase=phase).first()
    world.shared["batch"] = ImportBatch.objects.create(kind=ImportBatch.Kind.UNITS, filename="don-vi.xlsx",
                                                       content=bytes(template_workbook(ImportBatch.Kind.UNITS)),
                                                       created_by=people["admin"])
    world.shared["province_leader"] = province_leader
    # Every principal has an unread notification, so "mark all read" has something to write.
    for role in ROLES:
        Notification.objects.create(user=principals[role], title=f"Thông báo cho {role}", url="/plans/")
    assert FollowUp.objects.count() == 2 and Inspection.objects.count() == 2
    return world
