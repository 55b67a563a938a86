"""Demo data of documents: the issuing bodies of both periods, their signers, the register.

Until 30/6/2025 the province's documents are issued by the Ban Dân vận of the Bình Thuận provincial
Party committee (BDVTU); from 1/7/2025 by the Ban Tuyên giáo và Dân vận of Lâm Đồng (BTGDVTU).
"""

from __future__ import annotations

import datetime as dt
import re

from portal.demo_context import MERGER_DATE, DemoContext

BEFORE = MERGER_DATE - dt.timedelta(days=1)
OLD = dict(party_committee="Tỉnh ủy Bình Thuận", body_name="Ban Dân vận", short_code="BDVTU", place="Bình Thuận",
           valid_to=BEFORE)
NEW = dict(party_committee="Tỉnh ủy Lâm Đồng", body_name="Ban Tuyên giáo và Dân vận", short_code="BTGDVTU",
           place="Lâm Đồng", valid_from=MERGER_DATE)
OLD_CELL = dict(party_committee="Đảng bộ Khối các cơ quan tỉnh Bình Thuận", body_name="Chi bộ Ban Dân vận",
                short_code="CB", place="Bình Thuận", valid_to=BEFORE)
NEW_CELL = dict(party_committee="Đảng bộ các cơ quan Đảng tỉnh Lâm Đồng",
                body_name="Chi bộ Ban Tuyên giáo và Dân vận", short_code="CB", place="Lâm Đồng",
                valid_from=MERGER_DATE)
SIGNERS_OLD = [("Nguyễn Thị Ánh Tuyết", "Trưởng ban"), ("Phạm Thị Hồng Nhung", "K/T Trưởng ban\nPhó Trưởng ban")]
SIGNERS_NEW = [("Nguyễn Văn Hòa", "Trưởng ban"), ("Phạm Thị Hồng Nhung", "K/T Trưởng ban\nPhó Trưởng ban")]
CELL_SIGNERS = [("Đỗ Quang Vinh", "T/M Chi bộ\nBí thư"), ("Lê Minh Đức", "T/M Chi bộ\nPhó Bí thư")]
NUMBER = re.compile(r"^(\d+)-([^/]+)/(.+)$")


def seed(ctx: DemoContext) -> None:
    from awards.models import AwardDecision, AwardSubject
    from portal.units.models import Unit

    from .models import IssuingProfile, OutgoingDocument, RegisterCounter, Signer
    from .selectors import issuer_as_of
    from .services import default_recipients

    units = {u.code: u for u in Unit.objects.filter(code__in=["BT", "LD", "BDVTU", "BTGDVTU"])}
    if "LD" not in units:
        return
    users = {u.full_name: u for u in ctx.demo_users.values()}
    plan = [("LD", OLD, SIGNERS_OLD, "leadership"), ("LD", NEW, SIGNERS_NEW, "leadership"),
            ("BT", OLD, SIGNERS_OLD, "leadership"), ("BDVTU", OLD, SIGNERS_OLD, "leadership"),
            ("BTGDVTU", NEW, SIGNERS_NEW, "leadership"), ("BTGDVTU", OLD_CELL, CELL_SIGNERS, "cell"),
            ("BTGDVTU", NEW_CELL, CELL_SIGNERS, "cell")]
    for code, fields, signers, body in plan:
        if code not in units:
            continue
        profile = IssuingProfile.objects.create(unit=units[code], body=body, **fields)
        Signer.objects.bulk_create([Signer(profile=profile, full_name=name, authority=authority, order=i,
                                           user=users.get(name)) for i, (name, authority) in enumerate(signers)])

    # The decisions already made go into their bodies' registers under their numbers.
    entries, last = [], {}
    for decision in AwardDecision.objects.select_related("proposal").order_by("date", "id"):
        match = NUMBER.match(decision.number)
        if not match or not decision.subjects.filter(status=AwardSubject.Status.APPROVED).exists():
            continue
        number, doc_type, body_code = int(match[1]), match[2], match[3]
        key = (body_code, decision.date.year)
        if (key, number) in last:
            continue
        last[(key, number)] = True
        entries.append(OutgoingDocument(
            body_code=body_code, unit=decision.unit, year=decision.date.year, number=number, doc_type=doc_type,
            date=decision.date, kind="decision", params={"decision_id": decision.pk}, decision=decision,
            summary="Quyết định khen thưởng trong phong trào thi đua “Dân vận khéo”",
            signer_name=decision.signer_name, signer_authority=decision.signer_title,
            recipients=f"Như Điều 3\n{decision.proposal.unit.name}"))
    OutgoingDocument.objects.bulk_create(entries)
    counters: dict = {}
    for e in entries:
        counters[(e.body_code, e.year)] = max(counters.get((e.body_code, e.year), 0), e.number)

    # The 15/10 reports of the province, issued in both periods.
    leader = ctx.demo_users.get("lanhdao")
    for year in (2024, 2025):
        day = dt.date(year, 10, 15)
        issuer = issuer_as_of(units["LD"], day)
        if issuer.profile is None:
            continue
        key = (issuer.short_code, year)
        counters[key] = counters.get(key, 0) + 1
        signer = issuer.signers[0]
        OutgoingDocument.objects.create(
            profile=issuer.profile, body_code=issuer.short_code, unit=units["LD"], year=year, number=counters[key],
            doc_type="BC", date=day, kind="commendation-1510", params={"unit_id": units["LD"].pk, "year": year},
            summary=f"Báo cáo kết quả phong trào thi đua “Dân vận khéo” và khen thưởng nhân Ngày 15/10/{year}",
            signer=signer, signer_name=signer.full_name, signer_authority=signer.authority,
            recipients="\n".join(default_recipients("BC", issuer)), created_by=leader)
    RegisterCounter.objects.bulk_create([RegisterCounter(body_code=b, year=y, last_number=n)
                                         for (b, y), n in counters.items()])
