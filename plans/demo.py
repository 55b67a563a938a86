"""Demo data of plans: the real plan 54-KH/BDVTU (seeds/000) with every item, its July 2022
inspection, a 2026 plan of today's Ban Tuyên giáo và Dân vận, plans of a sample of other units,
and the reminders those deadlines produced (in the notification centre, without emails)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from portal.accounts.models import Role
from portal.demo_context import DemoContext
from portal.text import fold
from portal.units.models import Unit

from . import dates, services
from .models import (
    DueKind,
    FollowUp,
    FollowUpStatus,
    Inspection,
    ItemStatus,
    Notification,
    Plan,
    PlanItem,
    PlanItemUpdate,
    Recurrence,
    ResponsibleKind,
)

PDV_CQNN = "Phòng Dân vận các cơ quan nhà nước"
PDT_TG = "Phòng Dân tộc và Tôn giáo"
PDT_CH = "Phòng Đoàn thể và các hội"

SECTION_1 = "1- Triển khai thực hiện phong trào thi đua “Dân vận khéo” tại cơ quan Ban Dân vận Tỉnh ủy"
SECTION_2 = (
    "2- Lãnh đạo đảng viên, công chức cơ quan thực hiện tốt nhiệm vụ tham mưu về phong trào thi đua "
    "“Dân vận khéo”, trọng tâm là"
)
DOCS_308 = (
    "Chỉ thị số 44-CT/TU, ngày 23/12/2013 về lãnh đạo đẩy mạnh phong trào thi đua “Dân vận khéo”, "
    "Thông báo số 96-TB/VPTU, ngày 07/4/2021 của Văn phòng Tỉnh ủy về thông báo kết luận của Thường trực "
    "Tỉnh ủy tại Hội nghị tổng kết, biểu dương, khen thưởng điển hình phong trào thi đua “Dân vận khéo”, "
    "giai đoạn 2016 – 2020"
)

# Every item of Kế hoạch số 54-KH/BDVTU, ngày 29/3/2022, as the document writes it. A due time the
# document does not state is left unstated (1.3, 2.3).
PLAN_54 = dict(
    number="54-KH/BDVTU",
    title="thực hiện phong trào thi đua “Dân vận khéo”, giai đoạn 2022 - 2025",
    issued_on=dt.date(2022, 3, 29),
    place="Bình Thuận",
    signer="Đặng Hồng Sỹ",
    signer_title="TRƯỞNG BAN",
    implements=(
        "Công văn số 308-CV/TU, ngày 26/11/2021 của Ban Thường vụ Tỉnh ủy về phát động phong trào thi đua "
        "“Dân vận khéo”, giai đoạn 2021 – 2025; Công văn số 775-CV/ĐUK, ngày 01/12/2021 của Đảng ủy Khối "
        "cơ quan và doanh nghiệp tỉnh"
    ),
    monitor=PDV_CQNN,
    recipients="- Đảng ủy Khối CQ&DN tỉnh,\n- Lãnh đạo Ban, Chi ủy,\n- BCH Công đoàn,\n- Các phòng thuộc Ban,\n- Lưu Văn thư.",
)
ITEMS_54 = [
    dict(
        code="1.1", section=SECTION_1, heading="Công tác quán triệt, triển khai",
        content=(
            "- Tiếp tục quán triệt sâu sắc tư tưởng Hồ Chí Minh, chủ trương, đường lối của Đảng, chính sách, "
            "pháp luật của Nhà nước về công tác dân vận, về phong trào thi đua Dân vận khéo và các văn bản chỉ "
            "đạo, phát động của Ban Thường vụ Tỉnh ủy như " + DOCS_308 + ", Công văn số 308-CV/TU, ngày "
            "26/11/2021 về phát động phong trào thi đua “Dân vận khéo”, giai đoạn 2021 – 2025 đến mỗi cán bộ, "
            "đảng viên, công chức; qua đó, thúc đẩy phong trào thi đua thực hiện hoàn thành xuất sắc nhiệm vụ "
            "được giao và xây dựng cơ quan, chi bộ, công đoàn vững mạnh.\n"
            "- Hằng năm, Chi bộ, Lãnh đạo Ban phối hợp lãnh đạo, tổ chức các hoạt động gắn với phong trào thi "
            "đua “Dân vận khéo” trong cán bộ, đảng viên, công chức; đẩy mạnh việc thực hiện Kết luận số "
            "01-KL/TW của Bộ Chính trị (khóa XIII) về “tiếp tục thực hiện Chỉ thị số 05-CT/TW về đẩy mạnh học "
            "tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”; thực hiện nghiêm Quy định số "
            "101-QĐ/TW của Ban Bí thư Trung ương Đảng (khóa XI) về “trách nhiệm nêu gương của cán bộ, đảng "
            "viên; nhất là cán bộ lãnh đạo chủ chốt các cấp” và Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban "
            "Chấp hành Trung ương Đảng (khóa XIII) về “đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính "
            "trị; kiên quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính "
            "trị, đạo đức, lối sống, biểu hiện “tự diễn biến”, “tự chuyển hoá””."
        ),
        chair="Lãnh đạo Ban, Chi bộ", responsible_kind=ResponsibleKind.ADVISE,
        responsible="Phòng Dân vận các cơ quan nhà nước; Phòng Dân tộc và Tôn giáo; Chi ủy",
        due_kind=DueKind.ONGOING, recurrence=Recurrence.QUARTERLY,
        units=[PDV_CQNN, PDT_TG], roles=["chiuy"], status=ItemStatus.IN_PROGRESS,
    ),
    dict(
        code="1.2", section=SECTION_1, heading="Xây dựng, duy trì các mô hình",
        content=(
            "- Đăng ký xây dựng mới 01 mô hình “Dân vận khéo” thuộc lĩnh vực văn hóa – xã hội hoặc lĩnh vực "
            "xây dựng hệ thống chính trị."
        ),
        chair="", responsible_kind=ResponsibleKind.ADVISE,
        responsible="Phòng Dân vận các cơ quan nhà nước và Ban Chấp hành Công đoàn",
        method=(
            "Phòng Dân vận các cơ quan nhà nước và Ban Chấp hành Công đoàn thống nhất đề xuất nội dung mô "
            "hình trước ngày 09/4/2022 để lãnh đạo Ban và Chi ủy cho ý kiến, đăng ký triển khai thực hiện."
        ),
        due_kind=DueKind.DATE, due_date=dt.date(2022, 4, 9),
        units=[PDV_CQNN], roles=["congdoan"], status=ItemStatus.DONE, done_on=dt.date(2022, 4, 7),
        assign="canbo",
    ),
    dict(
        code="1.2", section=SECTION_1, heading="Xây dựng, duy trì các mô hình",
        content=(
            "- Duy trì thực hiện mô hình “Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa” đang phát huy hiệu "
            "quả. Xây dựng Hướng dẫn cụ thể việc thực hiện mô hình “Một giúp một” và triển khai thực hiện mô "
            "hình vào đầu tháng 5/2022."
        ),
        chair="Lãnh đạo Ban, Ban Chấp hành Công đoàn", responsible_kind=ResponsibleKind.EXECUTE,
        responsible="Toàn thể cán bộ, công chức cơ quan",
        due_kind=DueKind.ONGOING, recurrence=Recurrence.QUARTERLY,
        units=[], roles=["canbo"], status=ItemStatus.IN_PROGRESS,
    ),
    dict(
        code="1.3", section=SECTION_1,
        heading="Xây dựng, duy trì, nhân rộng điển hình trong thực hiện các phong trào thi đua yêu nước",
        content=(
            "Lãnh đạo Ban, Chi bộ, Ban Chấp hành Công đoàn phát động đảng viên, cán bộ công chức, đoàn viên "
            "tích cực thực hiện các phong trào thi đua, trọng tâm là phong trào thi đua thực hiện thắng lợi "
            "nhiệm vụ phát triển kinh tế - xã hội 5 năm (2021 – 2025) theo Nghị quyết Đại hội Đảng bộ tỉnh "
            "Bình Thuận lần thứ XIV và phong trào thi đua “Lao động giỏi, lao động sáng tạo”; gắn với thi đua "
            "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh và chuyên đề toàn khóa nhiệm kỳ Đại "
            "hội XIII của Đảng \"Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự "
            "lực, tự cường và khát vọng phát triển đất nước phồn vinh, hạnh phúc\" theo Kế hoạch số 56-KH/TU, "
            "ngày 24/02/2022 của Ban Thường vụ Tỉnh ủy. Qua đó, xây dựng, chọn lựa và nhân rộng các điển hình "
            "cá nhân. Cụ thể:\n"
            "- Xây dựng điển hình trong thực hiện nhiệm vụ chuyên môn với nội dung “Chủ động, trách nhiệm, "
            "hiệu quả cao”.\n"
            "- Xây dựng điển hình trong học tập và làm theo gắn với nội dung “Gương mẫu, tận tụy; nỗ lực học "
            "tập, rèn luyện nâng cao trình độ, năng lực công tác”."
        ),
        chair="Lãnh đạo Ban, Chi ủy, Công đoàn", responsible="",
        method=(
            "Từng cá nhân xây dựng bản đăng ký nội dung thực hiện mô hình “Dân vận khéo” (chọn 01 trong 02 "
            "nội dung trên); gửi bản đăng ký cho Ban Chấp hành Công đoàn tổng hợp, theo dõi. Định kỳ hàng "
            "quý, Ban Chấp hành Công đoàn đánh giá, nhận xét và lựa chọn biểu dương tại cuộc họp định kỳ; báo "
            "cáo kết quả và đề xuất chi bộ khen thưởng điển hình vào dịp sinh hoạt kỷ niệm Ngày truyền thống "
            "công tác dân vận 15/10; qua đó góp phần nhân rộng điển hình."
        ),
        due_kind=DueKind.UNSPECIFIED, units=[], roles=["chiuy", "congdoan"], status=ItemStatus.IN_PROGRESS,
    ),
    dict(
        code="2.1", section=SECTION_2, heading="",
        content=(
            "Thường xuyên theo dõi, đôn đốc các ngành, địa phương triển khai thực hiện tốt các văn bản chỉ đạo "
            "của Ban Thường vụ Tỉnh ủy về phong trào thi đua “Dân vận khéo” theo " + DOCS_308 + " và Công văn "
            "số 308-CV/TU, ngày 26/11/2021 về phát động phong trào thi đua “Dân vận khéo”, giai đoạn 2021 – "
            "2025."
        ),
        chair="Lãnh đạo Ban", responsible=PDT_CH, due_kind=DueKind.ONGOING,
        recurrence=Recurrence.QUARTERLY, units=[PDT_CH], roles=[], status=ItemStatus.IN_PROGRESS,
    ),
    dict(
        code="2.2", section=SECTION_2, heading="",
        content=(
            "Xây dựng, ban hành Hướng dẫn xây dựng mô hình “Dân vận khéo” và tiêu chí, quy trình xét chọn đề "
            "nghị biểu dương, khen thưởng điển hình “Dân vận khéo”, giai đoạn 2021 - 2025."
        ),
        chair="Lãnh đạo Ban", responsible=PDT_CH, due_kind=DueKind.MONTH, due_month=3, due_year=2022,
        units=[PDT_CH], roles=[], status=ItemStatus.IN_PROGRESS, assign="canbo",
    ),
    dict(
        code="2.3", section=SECTION_2, heading="",
        content=(
            "Hằng năm, đôn đốc, phối hợp với các đảng đoàn, ban cán sự đảng; các huyện, thị, thành ủy, đảng "
            "ủy trực thuộc Tỉnh ủy rà soát, đánh giá hiệu quả các mô hình, điển hình “Dân vận khéo” đã xây "
            "dựng trên các lĩnh vực; qua đó tham mưu, đề xuất Ban Thường vụ Tỉnh ủy công nhận điển hình “Dân "
            "vận khéo” cấp tỉnh; giới thiệu, tuyên truyền để các đơn vị, địa phương tham khảo, nghiên cứu nhân "
            "rộng những mô hình, điển hình hay tạo sự lan tỏa sâu rộng của phong trào, góp phần thực hiện thắng "
            "lợi các chỉ tiêu, nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh trên địa bàn tỉnh."
        ),
        chair="Lãnh đạo Ban", responsible=PDT_CH, due_kind=DueKind.UNSPECIFIED,
        units=[PDT_CH], roles=[], status=ItemStatus.IN_PROGRESS,
    ),
    dict(
        code="2.4", section=SECTION_2, heading="",
        content=(
            "Tổ chức kiểm tra việc triển khai thực hiện phong trào thi đua “Dân vận khéo”, giai đoạn 2021 - "
            "2025 theo Công văn số 308-CV/TU, ngày 26/11/2021 của Ban Thường vụ Tỉnh ủy."
        ),
        chair="Lãnh đạo Ban", responsible=PDT_CH, due_kind=DueKind.MONTH, due_month=7, due_year=2022,
        units=[PDT_CH], roles=[], status=ItemStatus.DONE, done_on=dt.date(2022, 7, 28),
    ),
    dict(
        code="2.5", section=SECTION_2, heading="",
        content=(
            "Tham mưu Ban Thường vụ Tỉnh ủy tổ chức tổng kết biểu dương, khen thưởng điển hình phong trào thi "
            "đua “Dân vận khéo”, giai đoạn 2021 – 2025."
        ),
        chair="Lãnh đạo Ban", responsible=PDT_CH, due_kind=DueKind.YEAR, due_year=2025,
        units=[PDT_CH], roles=[], status=ItemStatus.IN_PROGRESS, assign="canbo",
    ),
]

# Items of the plans of other units (at larger sizes) and of the 2026 plan.
GENERIC_ITEMS = [
    ("Quán triệt, triển khai Kế hoạch thực hiện phong trào thi đua “Dân vận khéo” đến toàn thể cán bộ, "
     "đảng viên, công chức.", "Lãnh đạo đơn vị", "Bộ phận Văn phòng", DueKind.MONTH, 3),
    ("Đăng ký xây dựng mới 01 mô hình “Dân vận khéo” và gửi bản đăng ký về cấp trên.", "Lãnh đạo đơn vị",
     "Bộ phận chuyên môn", DueKind.DATE, 4),
    ("Duy trì, nhân rộng các mô hình “Dân vận khéo” đang phát huy hiệu quả.", "Lãnh đạo đơn vị, Công đoàn",
     "Toàn thể cán bộ, công chức", DueKind.ONGOING, None),
    ("Sơ kết, đánh giá kết quả thực hiện phong trào 6 tháng đầu năm.", "Lãnh đạo đơn vị",
     "Bộ phận Văn phòng", DueKind.MONTH, 6),
    ("Lựa chọn, đề xuất khen thưởng điển hình nhân Ngày truyền thống công tác dân vận 15/10.",
     "Chi ủy, Công đoàn", "Ban Chấp hành Công đoàn", DueKind.DATE, 10),
    ("Tổng kết phong trào thi đua “Dân vận khéo” năm, đề ra phương hướng năm sau.", "Lãnh đạo đơn vị",
     "Bộ phận Văn phòng", DueKind.YEAR, None),
]


def _item(plan: Plan, position: int, **fields) -> PlanItem:
    item = PlanItem(plan=plan, position=position, **fields)
    item.due_at = item.compute_due_at()
    return item


def _plan_54(ctx: DemoContext) -> Plan:
    unit = ctx.demo_unit_old
    plan = Plan(unit=unit, phase=ctx.phase_for(2022), created_by=ctx.demo_users.get("canbo"), **PLAN_54)
    plan.save()
    departments = {
        u.name: u for u in Unit.objects.filter(
            Q(path__startswith=ctx.demo_unit.path) | Q(path__startswith=unit.path), name__in=[PDV_CQNN, PDT_TG, PDT_CH]
        )
    }
    roles = {r.code: r for r in Role.objects.all()}
    canbo = ctx.demo_users.get("canbo")
    for position, spec in enumerate(ITEMS_54, start=1):
        spec = dict(spec)
        unit_names, role_codes = spec.pop("units"), spec.pop("roles")
        done_on, assign = spec.pop("done_on", None), spec.pop("assign", None)
        item = PlanItem(plan=plan, position=position, **spec)
        item.status_changed_on = done_on
        item.save()
        item.responsible_units.set([departments[n] for n in unit_names if n in departments])
        item.responsible_roles.set([roles[c] for c in role_codes])
        if assign and canbo is not None:
            item.assignees.set([canbo])
        _updates_54(item, done_on, canbo)
    return plan


def _updates_54(item: PlanItem, done_on, author) -> None:
    rows = []
    if item.status == ItemStatus.DONE:
        rows.append(PlanItemUpdate(item=item, transition="complete", on=done_on, status=ItemStatus.DONE,
                                   note="Đã hoàn thành, báo cáo lãnh đạo Ban.", author=author))
    elif item.due_kind == DueKind.ONGOING:
        for year, month in ((2022, 6), (2022, 12), (2023, 6), (2023, 12), (2024, 6), (2024, 12), (2025, 6),
                            (2025, 12)):
            rows.append(PlanItemUpdate(item=item, transition="report", on=dt.date(year, month, 20),
                                       status=ItemStatus.IN_PROGRESS, author=author,
                                       note=f"Báo cáo kết quả thực hiện {'6 tháng đầu năm' if month == 6 else 'năm'} {year}."))
    elif item.code == "2.2":
        rows.append(PlanItemUpdate(item=item, transition="report", on=dt.date(2022, 3, 25),
                                   status=ItemStatus.IN_PROGRESS, author=author,
                                   note="Đã xây dựng dự thảo Hướng dẫn, đang xin ý kiến các phòng."))
    elif item.status == ItemStatus.IN_PROGRESS:
        rows.append(PlanItemUpdate(item=item, transition="start", on=dt.date(2022, 4, 15),
                                   status=ItemStatus.IN_PROGRESS, author=author, note=""))
    PlanItemUpdate.objects.bulk_create(rows)
    if rows:
        PlanItem.objects.filter(pk=item.pk).update(last_update_on=max(r.on for r in rows))


def _inspection_2022(ctx: DemoContext, plan: Plan) -> None:
    inspected_ids = (ctx.units(2022, "district")[:2] + ctx.units(2022, "agency")[3:5])[:4]
    inspection = Inspection.objects.create(
        unit=ctx.demo_unit_old, plan=plan, inspected_on=dt.date(2022, 7, 20),
        title="Kiểm tra việc triển khai thực hiện phong trào thi đua “Dân vận khéo”, giai đoạn 2021 - 2025",
        findings=(
            "Các đơn vị đã ban hành kế hoạch, đăng ký mô hình “Dân vận khéo” năm 2022; một số đơn vị chưa "
            "gửi bản đăng ký của cá nhân, hồ sơ mô hình còn sơ sài, chưa có minh chứng kết quả."
        ),
        created_by=ctx.demo_users.get("lanhdao"),
    )
    inspection.inspected_units.set(inspected_ids)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=inspected_ids)}
    rows = []
    for index, unit_id in enumerate(inspected_ids):
        done = index != 0
        rows.append(FollowUp(
            inspection=inspection, unit=units[unit_id],
            content="Bổ sung bản đăng ký của cá nhân và hồ sơ, minh chứng kết quả mô hình “Dân vận khéo”.",
            due_date=dt.date(2022, 9, 30), status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
            done_on=dt.date(2022, 9, 26) if done else None,
            result="Đã bổ sung đầy đủ, gửi Ban Dân vận Tỉnh ủy." if done else "",
        ))
    for row in rows:
        row.due_at = dates.due_at(DueKind.DATE, date=row.due_date)
    bulk_create_with_history(rows, FollowUp)


def _plan_2026(ctx: DemoContext) -> None:
    """Today's plan of the demo accounts' unit, with deadlines around today."""
    today = ctx.today
    unit = ctx.demo_unit
    plan = Plan(
        unit=unit, phase=ctx.phase_for(2026), number="15-KH/BTGDVTU", issued_on=dt.date(2026, 2, 10),
        title="thực hiện phong trào thi đua “Dân vận khéo” năm 2026", place="Lâm Đồng",
        signer="Phạm Thị Hồng Nhung", signer_title="KT. TRƯỞNG BAN – PHÓ TRƯỞNG BAN",
        implements="Kế hoạch thực hiện phong trào thi đua “Dân vận khéo”, giai đoạn 2026 – 2030",
        monitor=PDV_CQNN, created_by=ctx.demo_users.get("canbo"),
    )
    plan.save()
    soon = today + dt.timedelta(days=5)
    next_month = dates.localtime(dates.local_midnight(today) + dt.timedelta(days=35)).date()
    items = [
        _item(plan, 1, code="1", content=GENERIC_ITEMS[0][0], chair="Lãnh đạo Ban", responsible=PDV_CQNN,
              due_kind=DueKind.MONTH, due_month=3, due_year=2026, status=ItemStatus.DONE,
              status_changed_on=dt.date(2026, 3, 25), last_update_on=dt.date(2026, 3, 25)),
        _item(plan, 2, code="2", content="Rà soát, cập nhật hồ sơ các mô hình “Dân vận khéo” đăng ký năm 2026.",
              chair="Lãnh đạo Ban", responsible=PDV_CQNN, due_kind=DueKind.DATE, due_date=soon,
              status=ItemStatus.IN_PROGRESS),
        _item(plan, 3, code="3", content=GENERIC_ITEMS[2][0], chair="Lãnh đạo Ban, Ban Chấp hành Công đoàn",
              responsible="Toàn thể cán bộ, công chức cơ quan", responsible_kind=ResponsibleKind.EXECUTE,
              due_kind=DueKind.ONGOING, recurrence=Recurrence.MONTHLY, status=ItemStatus.IN_PROGRESS),
        _item(plan, 4, code="4", content="Tổng hợp kết quả đánh giá, nhận xét hàng quý các bản đăng ký.",
              chair="Ban Chấp hành Công đoàn", responsible="Ban Chấp hành Công đoàn",
              due_kind=DueKind.MONTH, due_month=next_month.month, due_year=next_month.year,
              status=ItemStatus.NOT_STARTED),
        _item(plan, 5, code="5", content=GENERIC_ITEMS[5][0], chair="Lãnh đạo Ban", responsible=PDT_CH,
              due_kind=DueKind.YEAR, due_year=2026, status=ItemStatus.NOT_STARTED),
        _item(plan, 6, code="6", content="Sơ kết, đánh giá kết quả thực hiện phong trào 6 tháng đầu năm 2026.",
              chair="Lãnh đạo Ban", responsible=PDT_CH, due_kind=DueKind.MONTH, due_month=9, due_year=2026,
              status=ItemStatus.IN_PROGRESS),
    ]
    PlanItem.objects.bulk_create(items)
    roles = {r.code: r for r in Role.objects.all()}
    created = list(plan.items.order_by("position"))
    created[1].assignees.set([ctx.demo_users["canbo"]])
    created[2].responsible_roles.set([roles["canbo"]])
    created[3].responsible_roles.set([roles["congdoan"]])
    created[5].assignees.set([ctx.demo_users["canbo"]])


def _sample_plans(ctx: DemoContext) -> None:
    """Plans of a sample of agencies and communes, bulk-inserted (more at larger sizes)."""
    count = {"small": 4, "province": 60, "nation": 400, "nation5": 2000}.get(ctx.size, 4)
    rng = ctx.rng
    plans, specs = [], []
    for year in (2022, 2026):
        pool = ctx.units(year, "agency") + ctx.units(year, "commune")
        pool = [u for u in pool if u not in (ctx.demo_unit.pk, ctx.demo_unit_old.pk)]
        chosen = rng.sample(pool, min(len(pool), count // 2))
        for index, unit_id in enumerate(chosen):
            number = f"{rng.randint(10, 120)}-KH/{'DV' if year == 2022 else 'ĐU'}{index + 1}"
            title = f"thực hiện phong trào thi đua “Dân vận khéo” năm {year}"
            plans.append(Plan(
                unit_id=unit_id, phase=ctx.phase_for(year), number=number, title=title,
                issued_on=dt.date(year, rng.randint(1, 3), rng.randint(1, 28)),
                signer=rng.choice(["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Quốc Tuấn", "Phạm Minh Trí"]),
                signer_title=rng.choice(["BÍ THƯ", "CHỦ TỊCH", "TRƯỞNG BAN"]),
                search_folded=fold(f"{number} {title}"),
            ))
            specs.append(year)
    plans = bulk_create_with_history(plans, Plan, batch_size=2000)
    items = []
    today = ctx.today
    now = dates.local_midnight(today)
    for plan in plans:
        year = plan.issued_on.year
        for position, (content, chair, responsible, kind, month) in enumerate(GENERIC_ITEMS, start=1):
            fields = dict(code=str(position), content=content, chair=chair, responsible=responsible, due_kind=kind)
            if kind == DueKind.MONTH:
                fields.update(due_month=month, due_year=year)
            elif kind == DueKind.DATE:
                fields.update(due_date=dt.date(year, month, 15))
            elif kind == DueKind.YEAR:
                fields.update(due_year=year)
            else:
                fields.update(recurrence=Recurrence.QUARTERLY)
            item = _item(plan, position, **fields)
            if item.due_at is not None and item.due_at < now:
                item.status = ItemStatus.DONE if rng.random() < 0.8 else ItemStatus.IN_PROGRESS
            else:
                item.status = rng.choice([ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS])
            items.append(item)
    bulk_create_with_history(items, PlanItem, batch_size=5000)


def _reminders(ctx: DemoContext, plan_54: Plan) -> None:
    """The reminders the deadlines produced: passes at past moments (read) and today (unread)."""
    tz = dates.tz()
    moments = [dt.datetime(2022, 3, 25, 8, tzinfo=tz), dt.datetime(2022, 4, 4, 8, tzinfo=tz),
               dt.datetime(2022, 4, 16, 8, tzinfo=tz), dt.datetime(2022, 7, 25, 8, tzinfo=tz)]
    for moment in moments:
        services.reminders_send(now=moment, email=False)
    Notification.objects.filter(read_at__isnull=True).update(read_at=dt.datetime(2022, 8, 1, 8, tzinfo=tz))
    for moment in (dt.datetime(2026, 1, 2, 8, tzinfo=tz), dt.datetime(2026, 1, 16, 8, tzinfo=tz)):
        services.reminders_send(now=moment, email=False)
    services.reminders_send(now=dt.datetime.combine(ctx.today, dt.time(8), tzinfo=tz), email=False)
    # Everyone of the demo accounts finds at least one unread notification.
    for user in ctx.demo_users.values():
        services.notify(
            user=user, email=False, key="demo:welcome",
            title="Kế hoạch 54-KH/BDVTU còn nội dung quá hạn",
            body="Mục 2.2 (Tháng 3/2022) và mục 2.5 (Năm 2025) của Kế hoạch số 54-KH/BDVTU chưa hoàn thành.",
            url=reverse("plans:plan_detail", args=[plan_54.pk]),
        )


def seed(ctx: DemoContext) -> None:
    plan = _plan_54(ctx)
    _inspection_2022(ctx, plan)
    _plan_2026(ctx)
    _sample_plans(ctx)
    _reminders(ctx, plan)
