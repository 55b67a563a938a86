"""Demo data of the registry: models in every state across the tree, their events, progress
reports, replications, and public recognised models (with photos) for the showcase.

About two models per unit per year at `small` and `province` size (fewer per unit at `nation`,
where the tree is a hundred times larger); everything derives from `ctx.rng` and is written with
bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageDraw

from portal.bulk import copy_create
from portal.demo_context import DemoContext
from portal.text import fold
from portal.units.models import Unit

from .models import (
    Attachment,
    DvkModel,
    ModelEvent,
    ModelField,
    ProgressReport,
    RecognitionLevel,
    RegistrationKind,
    State,
    private_storage,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
A = ModelEvent.Action
F = ModelField
PER_UNIT = {"small": 2.0, "province": 2.0, "nation": 0.25, "nation5": 1.2}
BATCH = 2000

# (name, field, target group, how it works)
IDEAS = [
    ("Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa", F.CULTURE_SOCIETY, "Cán bộ, công chức, người lao động",
     "Mỗi người bỏ ống tiết kiệm 1.000 đồng mỗi ngày; cuối quý Công đoàn tổng hợp, thăm hỏi hộ khó khăn."),
    ("Một giúp một", F.CULTURE_SOCIETY, "Hộ nghèo, hộ cận nghèo",
     "Mỗi cán bộ, đảng viên nhận giúp đỡ một hộ khó khăn về cây giống, con giống và cách làm ăn."),
    ("Thắp sáng đường quê", F.ECONOMY, "Nhân dân khu dân cư",
     "Vận động nhân dân góp tiền, ngày công lắp đèn chiếu sáng các tuyến đường liên thôn."),
    ("Con đường hoa", F.CULTURE_SOCIETY, "Hội viên phụ nữ, đoàn viên thanh niên",
     "Mỗi chi hội nhận trồng và chăm sóc một đoạn đường hoa, cây xanh."),
    ("Dân vận khéo trong xây dựng nông thôn mới", F.ECONOMY, "Nhân dân trên địa bàn xã",
     "Cán bộ đi từng ngõ, gõ từng nhà vận động hiến đất, góp công làm đường giao thông nông thôn."),
    ("Tổ tự quản an ninh trật tự", F.DEFENCE_SECURITY, "Hộ gia đình trong khu phố",
     "Mỗi tổ 10–15 hộ thay phiên tuần tra, kịp thời báo tin cho công an xã."),
    ("Camera an ninh kết nối cộng đồng", F.DEFENCE_SECURITY, "Nhân dân, doanh nghiệp trên địa bàn",
     "Vận động xã hội hóa lắp camera tại các điểm giao thông trọng yếu, kết nối về công an."),
    ("Hũ gạo tình thương", F.CULTURE_SOCIETY, "Hội viên phụ nữ",
     "Mỗi bữa nấu cơm bớt một nắm gạo cho vào hũ; cuối tháng góp lại tặng hộ khó khăn."),
    ("Dân vận khéo trong giải phóng mặt bằng", F.ECONOMY, "Hộ dân có đất trong vùng dự án",
     "Tổ công tác đối thoại trực tiếp, công khai phương án bồi thường, giải quyết kiến nghị tại chỗ."),
    ("Khu dân cư không rác thải nhựa", F.CULTURE_SOCIETY, "Hộ gia đình, tiểu thương",
     "Phát túi vải, giỏ nhựa dùng nhiều lần; phân loại rác tại nguồn; tổ giám sát hằng tuần."),
    ("Phiên chợ nghĩa tình", F.CULTURE_SOCIETY, "Hộ nghèo, gia đình chính sách",
     "Mỗi quý tổ chức một phiên chợ 0 đồng với hàng hóa do các nhà hảo tâm đóng góp."),
    ("Tủ sách pháp luật cộng đồng", F.POLITICAL_SYSTEM, "Nhân dân khu dân cư",
     "Đặt tủ sách tại nhà văn hóa thôn; tổ chức nói chuyện chuyên đề pháp luật hằng tháng."),
    ("Dân vận khéo trong cải cách hành chính", F.POLITICAL_SYSTEM, "Người dân, doanh nghiệp đến giao dịch",
     "Cán bộ bộ phận một cửa hướng dẫn tận tình, hẹn trả kết quả đúng hạn, xin lỗi khi trễ hẹn."),
    ("Cán bộ gần dân, hiểu dân, giúp dân", F.POLITICAL_SYSTEM, "Cán bộ, đảng viên cơ quan",
     "Mỗi cán bộ phụ trách một khu dân cư, dự sinh hoạt và nắm tình hình nhân dân hằng tháng."),
    ("Vận động đồng bào Chăm thực hiện nếp sống văn minh", F.CULTURE_SOCIETY, "Đồng bào dân tộc Chăm",
     "Phối hợp chức sắc tôn giáo vận động tổ chức việc cưới, việc tang văn minh, tiết kiệm."),
    ("Tổ hợp tác thanh long VietGAP", F.ECONOMY, "Hộ trồng thanh long",
     "Hướng dẫn quy trình VietGAP, liên kết tiêu thụ với doanh nghiệp, hỗ trợ vốn vay."),
    ("Tàu cá an toàn, ngư dân bám biển", F.DEFENCE_SECURITY, "Ngư dân, chủ tàu cá",
     "Tuyên truyền chống khai thác hải sản bất hợp pháp; tổ đoàn kết trên biển hỗ trợ nhau."),
    ("Ngày thứ Bảy tình nguyện", F.CULTURE_SOCIETY, "Đoàn viên thanh niên",
     "Sáng thứ Bảy hằng tuần ra quân vệ sinh môi trường, giúp gia đình chính sách."),
    ("Nuôi heo đất giúp học sinh nghèo", F.CULTURE_SOCIETY, "Học sinh, giáo viên",
     "Mỗi lớp nuôi một heo đất; cuối năm học trao học bổng cho học sinh khó khăn."),
    ("Chi bộ gắn với dân, vì dân", F.POLITICAL_SYSTEM, "Đảng viên chi bộ thôn",
     "Mỗi đảng viên nhận nhiệm vụ cụ thể ở tổ dân cư, báo cáo tại sinh hoạt chi bộ."),
]
RETURN_NOTES = [
    "Đề nghị bổ sung chỉ tiêu cụ thể và thời gian thực hiện.",
    "Làm rõ nguồn kinh phí và người chịu trách nhiệm chính.",
    "Mô hình trùng với mô hình năm trước: đề nghị đăng ký là duy trì, nêu điểm mới.",
]
COMMENTS = [
    "Chi ủy thống nhất nội dung, đề nghị triển khai sớm.",
    "Cần gắn mô hình với nhiệm vụ chuyên môn của đơn vị.",
    "Đề nghị phân công cụ thể từng bộ phận phụ trách.",
]
PHOTO_COLOURS = [(196, 30, 58), (0, 107, 63), (13, 110, 253), (255, 193, 7), (111, 66, 193), (32, 201, 151)]


def _when(year: int, month: int, day: int, rng) -> dt.datetime:
    return dt.datetime(year, month, min(day, 28), 8 + rng.randrange(9), rng.randrange(60), tzinfo=TZ)


def _demo_photos() -> list[str]:
    """A few generated photos (stored once, shared by the demo's public models)."""
    names = []
    for i, colour in enumerate(PHOTO_COLOURS):
        image = Image.new("RGB", (960, 640), colour)
        draw = ImageDraw.Draw(image)
        for k in range(8):
            draw.ellipse((60 + k * 100, 380 - (k % 3) * 60, 140 + k * 100, 460 - (k % 3) * 60), fill=(255, 255, 255))
        draw.rectangle((0, 520, 960, 640), fill=(40, 40, 40))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        thumb = image.copy()
        thumb.thumbnail((480, 360))
        tout = io.BytesIO()
        thumb.save(tout, "JPEG", quality=75)
        full = private_storage.save(f"models/demo/anh-{i}.jpg", ContentFile(out.getvalue()))
        small = private_storage.save(f"models/demo/anh-{i}-nho.jpg", ContentFile(tout.getvalue()))
        names.append((full, small))
    return names


def _state_for(year: int, current_year: int, rng) -> str:
    roll = rng.random()
    if year >= current_year:
        if roll < 0.2:
            return State.DRAFT
        if roll < 0.5:
            return State.SUBMITTED
        if roll < 0.6:
            return State.RETURNED
        return State.REGISTERED
    if roll < 0.15:
        return State.REGISTERED
    if roll < 0.6:
        return State.EVALUATED
    return State.RECOGNISED


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    current_year = max(ctx.years)
    per_unit = PER_UNIT.get(ctx.size, 2.0)
    demo_staff = ctx.demo_users.get("canbo")
    demo_leader = ctx.demo_users.get("lanhdao")
    demo_cell = ctx.demo_users.get("chiuy")

    unit_rows = {pk: (path, depth, level, cat) for pk, path, depth, level, cat in Unit.objects.values_list(
        "pk", "path", "depth", "kind__level", "kind__category")}
    by_path = {row[0]: pk for pk, row in unit_rows.items()}
    root_id = ctx.root.pk

    def district_of(unit_id: int) -> int:
        path = unit_rows[unit_id][0]
        for length in range(len(path) - Unit.steplen, 0, -Unit.steplen):
            pk = by_path.get(path[:length])
            if pk and unit_rows[pk][2] == 2 and unit_rows[pk][3] == "administrative":
                return pk
        return root_id

    photos = _demo_photos()
    recognised_pool: list[tuple[int, int]] = []  # (model pk, unit id) of recognised models, for replication
    last_model_of_unit: dict[int, int] = {}
    all_public: list[DvkModel] = []

    for year in sorted(ctx.years):
        phase = ctx.phase_for(year)
        plan: list[tuple[int, str]] = []
        for group in ("agency", "district", "commune", "village"):
            for unit_id in ctx.units(year, group):
                count = int(per_unit) + (1 if rng.random() < per_unit - int(per_unit) else 0)
                plan.extend((unit_id, _state_for(year, current_year, rng)) for _ in range(count))
        # The demo accounts' unit shows every state of the current workflow.
        demo_unit = ctx.demo_unit if ctx.era(year) == "new" else ctx.demo_unit_old
        if demo_unit is not None:
            states = ([State.DRAFT, State.SUBMITTED, State.RETURNED, State.REGISTERED]
                      if year >= current_year else [State.EVALUATED, State.RECOGNISED, State.RECOGNISED])
            plan.extend((demo_unit.pk, s) for s in states)

        models: list[DvkModel] = []
        for unit_id, state in plan:
            name, field, target, how = IDEAS[rng.randrange(len(IDEAS))]
            people = ctx.people(unit_id)
            creator = people[rng.randrange(len(people))] if people else None
            if demo_unit is not None and unit_id == demo_unit.pk and demo_staff is not None:
                creator = demo_staff.pk
            model = DvkModel(
                unit_id=unit_id, phase=phase, year=year, field=field, name=name, goals=(
                    f"Phát huy vai trò của cán bộ, đảng viên trong thực hiện phong trào thi đua “Dân vận khéo” năm {year}; "
                    "tạo sự đồng thuận của nhân dân."
                ),
                target_group=target, how_it_works=how, leader_text="Ban Chấp hành Công đoàn, Chi ủy chi bộ",
                participants="Cán bộ, đảng viên, công chức và nhân dân tham gia tự nguyện",
                start_date=dt.date(year, 3 + rng.randrange(3), 1 + rng.randrange(27)),
                expected_results="Hoàn thành các chỉ tiêu đề ra, được nhân dân đồng tình, hưởng ứng.",
                resources="Kinh phí xã hội hóa và đóng góp tự nguyện", state=state, created_by_id=creator,
                created_at=_when(year, 2 + rng.randrange(2), 1 + rng.randrange(28), rng),
            )
            previous = last_model_of_unit.get(unit_id)
            if previous and rng.random() < 0.3:
                model.registration_kind = RegistrationKind.MAINTAINED
                model.continues_id = previous
            if recognised_pool and rng.random() < 0.12:
                source, source_unit = recognised_pool[rng.randrange(len(recognised_pool))]
                if source_unit != unit_id:
                    model.replicated_from_id = source
                    model.name = f"{name} (nhân rộng)"
            if state == State.RETURNED:
                model.return_note = RETURN_NOTES[rng.randrange(len(RETURN_NOTES))]
            if state in (State.EVALUATED, State.RECOGNISED):
                model.is_effective = state == State.RECOGNISED or rng.random() < 0.8
                model.evaluation_reason = (
                    "Mô hình được nhân dân đồng tình, đạt và vượt chỉ tiêu đề ra."
                    if model.is_effective else "Chưa huy động được nhiều người tham gia."
                )
            if state == State.RECOGNISED:
                level = rng.choice([RecognitionLevel.UNIT, RecognitionLevel.DISTRICT, RecognitionLevel.PROVINCE])
                if level == RecognitionLevel.DISTRICT and ctx.era(year) == "new":
                    level = RecognitionLevel.PROVINCE
                model.recognition_level = level
                model.recognised_by_id = {
                    RecognitionLevel.UNIT: unit_id, RecognitionLevel.DISTRICT: district_of(unit_id),
                }.get(level, root_id)
                model.recognised_on = dt.date(year, 12, 1 + rng.randrange(20))
                model.is_public = rng.random() < 0.25 or (demo_unit is not None and unit_id == demo_unit.pk)
            model.refresh_folded()
            models.append(model)
        copy_create(DvkModel, models, batch_size=BATCH)

        events: list[ModelEvent] = []
        reports: list[ProgressReport] = []
        for model in models:
            last_model_of_unit[model.unit_id] = model.pk
            actor = model.created_by_id
            leader = demo_leader.pk if demo_leader and model.unit_id == getattr(demo_unit, "pk", None) else None
            created = model.created_at
            events.append(ModelEvent(model=model, action=A.CREATE, to_state=State.DRAFT, actor_id=actor, at=created))
            if model.state == State.DRAFT:
                continue
            submitted = created + dt.timedelta(days=3 + rng.randrange(20))
            events.append(ModelEvent(model=model, action=A.SUBMIT, from_state=State.DRAFT, to_state=State.SUBMITTED,
                                     actor_id=actor, at=submitted))
            if rng.random() < 0.4:
                events.append(ModelEvent(model=model, action=A.COMMENT, from_state=State.SUBMITTED,
                                         to_state=State.SUBMITTED, comment=COMMENTS[rng.randrange(len(COMMENTS))],
                                         actor_id=demo_cell.pk if leader and demo_cell else None,
                                         at=submitted + dt.timedelta(days=1)))
            if model.state == State.SUBMITTED:
                continue
            if model.state == State.RETURNED:
                events.append(ModelEvent(model=model, action=A.RETURN, from_state=State.SUBMITTED,
                                         to_state=State.RETURNED, comment=model.return_note, actor_id=leader,
                                         at=submitted + dt.timedelta(days=2)))
                continue
            approved = submitted + dt.timedelta(days=2 + rng.randrange(10))
            events.append(ModelEvent(model=model, action=A.APPROVE, from_state=State.SUBMITTED,
                                     to_state=State.REGISTERED, comment="Đồng ý triển khai.", actor_id=leader, at=approved))
            for quarter in range(1 + rng.randrange(3)):
                start = dt.date(year, 4 + quarter * 3, 1)
                end = dt.date(year, 6 + quarter * 3, 30 if quarter != 1 else 30)
                reports.append(ProgressReport(
                    model=model, period_start=start, period_end=end, created_by_id=actor,
                    activities=f"Triển khai mô hình quý {quarter + 2}/{year}: tuyên truyền, vận động, trao hỗ trợ.",
                    people_reached=50 + rng.randrange(500), beneficiaries=5 + rng.randrange(120),
                    money_raised=rng.randrange(0, 200) * 500_000, works_built=rng.randrange(4),
                    created_at=dt.datetime(end.year, end.month, 28, 10, tzinfo=TZ),
                ))
                events.append(ModelEvent(model=model, action=A.REPORT, from_state=State.REGISTERED,
                                         to_state=State.REGISTERED, actor_id=actor,
                                         comment=f"Kỳ {start:%d/%m/%Y} – {end:%d/%m/%Y}",
                                         at=dt.datetime(end.year, end.month, 28, 10, tzinfo=TZ)))
            if model.state == State.REGISTERED:
                continue
            verdict = "Hiệu quả" if model.is_effective else "Chưa hiệu quả"
            events.append(ModelEvent(model=model, action=A.EVALUATE, from_state=State.REGISTERED,
                                     to_state=State.EVALUATED, comment=f"{verdict}: {model.evaluation_reason}",
                                     actor_id=actor, at=_when(year, 11, 20, rng)))
            if model.state == State.RECOGNISED:
                events.append(ModelEvent(model=model, action=A.RECOGNISE, from_state=State.EVALUATED,
                                         to_state=State.RECOGNISED, comment=model.get_recognition_level_display(),
                                         at=dt.datetime.combine(model.recognised_on, dt.time(9), tzinfo=TZ)))
                recognised_pool.append((model.pk, model.unit_id))
                if model.is_public:
                    model.slug = f"{slugify(fold(model.name))[:90].strip('-')}-{model.pk}"
                    all_public.append(model)
                    events.append(ModelEvent(model=model, action=A.PUBLISH, from_state=State.RECOGNISED,
                                             to_state=State.RECOGNISED,
                                             at=dt.datetime.combine(model.recognised_on, dt.time(15), tzinfo=TZ)))
        copy_create(ModelEvent, events, batch_size=BATCH)
        copy_create(ProgressReport, reports, batch_size=BATCH)

    DvkModel.objects.bulk_update(all_public, ["slug"], batch_size=BATCH)
    attachments = []
    for i, model in enumerate(all_public):
        full, small = photos[i % len(photos)]
        attachments.append(Attachment(
            model=model, kind=Attachment.Kind.IMAGE, file=full, thumbnail=small,
            original_name=f"anh-hoat-dong-{i % len(photos) + 1}.jpg", content_type="image/jpeg",
            size=private_storage.size(full), uploaded_by_id=model.created_by_id,
        ))
    copy_create(Attachment, attachments, batch_size=BATCH)
