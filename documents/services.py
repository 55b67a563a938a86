"""Writes for documents: take a register number, issue a document, enter a line by hand, revoke.

A number is taken under a row lock on the body's counter for the year, in the transaction that
writes the register line, so two issues at the same moment never share or skip a number (a rolled
back issue gives its number back with the counter). The files are rendered after that transaction,
so the lock is held for milliseconds, not for the seconds a PDF takes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import permissions as perms
from portal.text import nfc

from .models import IssuingProfile, OutgoingDocument, RegisterCounter, Signer
from .selectors import Issuer, issuer_as_of

# Who receives a document of each type unless the issuer chooses otherwise ({party} = the Party
# committee above the issuing body).
DEFAULT_RECIPIENTS = {
    "BC": ["Ban Dân vận Trung ương", "Thường trực {party}", "Các đồng chí Ủy viên Ban Thường vụ {party}"],
    "QĐ": ["Như Điều 3", "Thường trực {party}"],
    "BB": ["Chi bộ", "Ban Chấp hành Công đoàn"],
}


def default_recipients(doc_type: str, issuer: Issuer, extra: list[str] | None = None) -> list[str]:
    """The usual recipients of a document type for this issuer (editable at issue)."""
    lines = [line.format(party=issuer.party_committee) for line in DEFAULT_RECIPIENTS.get(doc_type, [])]
    return lines + [e for e in (extra or []) if e and e not in lines]


def decision_issuer(proposal, date: dt.date) -> Issuer:
    """Who issues the decision on a proposal: the Party cell for its union committee's proposals
    (when the unit has a cell profile), else the deciding unit's body."""
    from awards.models import ProposingBody

    if proposal.body == ProposingBody.UNION:
        cell = issuer_as_of(proposal.decider_unit, date, IssuingProfile.Body.CELL)
        if cell.profile is not None:
            return cell
    return issuer_as_of(proposal.decider_unit, date)


def register_take_number(*, body_code: str, year: int) -> int:
    """The next number of a body's register for a year; call inside the issuing transaction."""
    RegisterCounter.objects.get_or_create(body_code=body_code, year=year)
    counter = RegisterCounter.objects.select_for_update().get(body_code=body_code, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _require_signer(issuer: Issuer, signer: Signer | None) -> Signer | None:
    if issuer.profile is None:
        if signer is not None:
            raise ValidationError(_("Đơn vị này chưa có danh sách người ký."))
        return None
    if signer is None or signer.pk not in {s.pk for s in issuer.signers}:
        raise ValidationError(_("Hãy chọn người ký trong danh sách người được ký cho %(body)s.")
                              % {"body": issuer.body_name})
    return signer


def _clean_recipients(recipients) -> str:
    if isinstance(recipients, str):
        recipients = recipients.splitlines()
    lines = [nfc(r).strip().rstrip(",;.") for r in recipients]
    return "\n".join(line for line in lines if line)


@transaction.atomic
def _register(*, user, unit, issuer: Issuer, doc_type: str, date: dt.date, summary: str, signer: Signer | None,
              recipients, kind: str = "", params: dict | None = None, decision=None) -> OutgoingDocument:
    number = register_take_number(body_code=issuer.short_code, year=date.year)
    return OutgoingDocument.objects.create(
        profile=issuer.profile, body_code=issuer.short_code, unit=unit, year=date.year, number=number,
        doc_type=doc_type, date=date, summary=nfc(summary).strip()[:500], kind=kind, params=params or {},
        decision=decision, signer=signer, signer_name=signer.full_name if signer else "",
        signer_authority="\n".join(signer.authority_lines) if signer else "",
        recipients=_clean_recipients(recipients), created_by=user,
    )


def document_issue(*, user, kind: str, params: dict, unit, date: dt.date, signer: Signer | None, recipients,
                   summary: str = "") -> OutgoingDocument:
    """Issue a report kind: take its register number, then render and keep its PDF and DOCX."""
    from .reporting import REGISTRY

    report_kind = REGISTRY.get(kind)
    if report_kind is None or not report_kind.doc_type:
        raise ValidationError(_("Loại văn bản này không ban hành riêng được."))
    if not report_kind.may_issue(user, unit):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    if kind == "decision":
        raise ValidationError(_("Quyết định khen thưởng được ban hành từ đề nghị khen thưởng."))
    issuer = issuer_as_of(unit, date)
    signer = _require_signer(issuer, signer)
    entry = _register(user=user, unit=unit, issuer=issuer, doc_type=report_kind.doc_type, date=date,
                      summary=summary or report_kind.label, signer=signer, recipients=recipients, kind=kind,
                      params=params)
    document_render(entry=entry)
    return entry


def decision_issue(*, user, proposal, outcomes: dict[int, tuple[bool, str]], date: dt.date, signer: Signer | None,
                   recipients) -> OutgoingDocument:
    """Issue the decision on a proposal under the next register number of the deciding body, with
    the chosen signer; a decision that commends nobody is not issued (and takes no number)."""
    from awards.commendations import services as commendation_services
    from awards.commendations.workflow import require_decider

    require_decider(user, proposal)
    if not any(approve for approve, _why in outcomes.values()):
        raise ValidationError(_("Quyết định phải khen thưởng ít nhất một đối tượng; không ban hành quyết định trống."))
    issuer = decision_issuer(proposal, date)
    signer = _require_signer(issuer, signer)
    with transaction.atomic():
        number = register_take_number(body_code=issuer.short_code, year=date.year)
        symbol = f"{number}-QĐ/{issuer.short_code}"
        authority = signer.authority_lines if signer else ["TRƯỞNG BAN"]  # document text, not UI
        decision = commendation_services.award_proposal_decide(
            user=user, proposal=proposal, number=symbol, date=date, signer_title="\n".join(authority)[:100],
            signer_name=signer.full_name if signer else user.full_name, outcomes=outcomes)
        entry = OutgoingDocument.objects.create(
            profile=issuer.profile, body_code=issuer.short_code, unit=proposal.decider_unit, year=date.year,
            number=number, doc_type="QĐ", date=date, kind="decision", params={"decision_id": decision.pk},
            decision=decision, summary="Quyết định khen thưởng trong phong trào thi đua “Dân vận khéo”",
            signer=signer, signer_name=decision.signer_name, signer_authority="\n".join(authority),
            recipients=_clean_recipients(recipients), created_by=user)
    document_render(entry=entry)
    return entry


@transaction.atomic
def register_enter_manual(*, user, unit, body_code: str, number: int, doc_type: str, date: dt.date, summary: str,
                          signer_name: str = "", recipients="", note: str = "") -> OutgoingDocument:
    """Enter a document numbered by hand outside the portal; later numbers continue after it."""
    perms.require(user, unit, perms.LEADER, perms.STAFF)
    body_code, doc_type = nfc(body_code).strip(), nfc(doc_type).strip()
    if not (body_code and doc_type and number and number > 0 and summary.strip()):
        raise ValidationError(_("Hãy ghi cơ quan, số, loại văn bản, ngày và trích yếu."))
    if OutgoingDocument.objects.filter(body_code=body_code, year=date.year, number=number).exists():
        raise ValidationError(_("Số %(number)s năm %(year)s đã có trong sổ.") % {"number": number, "year": date.year})
    RegisterCounter.objects.get_or_create(body_code=body_code, year=date.year)
    counter = RegisterCounter.objects.select_for_update().get(body_code=body_code, year=date.year)
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return OutgoingDocument.objects.create(
        body_code=body_code, unit=unit, year=date.year, number=number, doc_type=doc_type, date=date,
        summary=nfc(summary).strip()[:500], signer_name=nfc(signer_name).strip(),
        recipients=_clean_recipients(recipients), is_manual=True, note=nfc(note).strip(), created_by=user)


@transaction.atomic
def document_revoke(*, user, entry: OutgoingDocument, reason: str) -> OutgoingDocument:
    """Mark a register line revoked; its number stays taken."""
    perms.require(user, entry.unit, perms.LEADER)
    entry = OutgoingDocument.objects.select_for_update().get(pk=entry.pk)
    if not nfc(reason).strip():
        raise ValidationError(_("Hãy ghi lý do thu hồi."))
    entry.status, entry.revoked_at = OutgoingDocument.Status.REVOKED, timezone.now()
    entry.note = (entry.note + "\n" if entry.note else "") + nfc(reason).strip()
    entry.save(update_fields=["status", "revoked_at", "note"])
    return entry


def storage_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def document_render(*, entry: OutgoingDocument) -> OutgoingDocument:
    """Render an issued line's PDF and DOCX and keep them with the PDF's SHA-256.

    Signing plugs in after this: the issued PDF is `file_of(entry, "pdf")` with `entry.pdf_sha256`;
    a signature covers that file as issued (an incremental update keeps it as the signed file's
    prefix), and the register line `entry.pk` is what an uploaded signed copy is matched against.
    """
    from .reporting import REGISTRY

    kind = REGISTRY[entry.kind]
    params = {**entry.params, "entry_id": entry.pk}
    pdf = kind.build(params, lambda pct: None)
    docx = kind.build({**params, "format": "docx"}, lambda pct: None)
    stem = f"{entry.pk}-{entry.year}-{entry.number}"
    pdf_file, docx_file = storage_dir() / f"{stem}.pdf", storage_dir() / f"{stem}.docx"
    for path, content in ((pdf_file, pdf.content), (docx_file, docx.content)):
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    OutgoingDocument.objects.filter(pk=entry.pk).update(
        pdf_path=str(pdf_file.relative_to(root)), docx_path=str(docx_file.relative_to(root)),
        pdf_sha256=hashlib.sha256(pdf.content).hexdigest(), filename=pdf.filename.rsplit(".", 1)[0])
    entry.refresh_from_db()
    return entry


def file_of(entry: OutgoingDocument, fmt: str) -> Path | None:
    name = entry.pdf_path if fmt == "pdf" else entry.docx_path
    return Path(settings.PRIVATE_MEDIA_ROOT) / name if name else None
