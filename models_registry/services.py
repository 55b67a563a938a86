"""Writes of DVK models. Each service checks the rules (workflow + permission layer), writes in one
transaction and leaves an event row (who, when, comment) for every step of a model's life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.permissions import LEADER, STAFF, has_role, require, require_unit_open, scope_unit
from portal.text import fold, nfc
from portal.units.models import Unit
from portal.workflow_events import workflow_event_emit

from . import workflow
from .models import (
    RUNNING_STATES,
    Attachment,
    DvkModel,
    ExtensionRequest,
    ModelEvent,
    ProgressReport,
    RegistrationDeadline,
    RegistrationKind,
    State,
)
from .selectors import deadline_for, models_visible_to, submit_gaps
from .uploads import CleanFile, check_total

A = ModelEvent.Action

EDITABLE_FIELDS = (
    "phase", "year", "field", "name", "registration_kind", "continues", "replicated_from", "goals",
    "target_group", "how_it_works", "leader_text", "participants", "start_date", "expected_results",
    "resources",
)
TEXT_FIELDS = ("name", "goals", "target_group", "how_it_works", "leader_text", "participants",
               "expected_results", "resources")


class StaleEdit(ValidationError):
    """Someone else saved the model after this form was opened."""


class IncompleteModel(ValidationError):
    """A draft that still lacks what a proposal must hold; `gaps` says what and where."""

    def __init__(self, gaps):
        self.gaps = gaps
        super().__init__(
            _("Chưa gửi được: bản đăng ký còn thiếu %(fields)s. Hãy bổ sung rồi gửi lại.")
            % {"fields": ", ".join(gap.label for gap in gaps)}
        )


def _event(model: DvkModel, user, action: str, *, from_state: str = "", comment: str = "",
           is_override: bool = False) -> ModelEvent:
    return ModelEvent.objects.create(
        model=model, action=action, actor=user, from_state=from_state, to_state=model.state,
        comment=nfc(comment).strip(), is_override=is_override,
    )


def _locked(model: DvkModel) -> DvkModel:
    """Re-read the row under a lock, so two transitions cannot both start from the same state."""
    return DvkModel.objects.select_related("unit", "unit__kind").select_for_update(of=("self",)).get(pk=model.pk)


def _clean_links(*, user, data: dict, unit: Unit, model: DvkModel | None = None) -> None:
    continues = data.get("continues")
    if continues is not None:
        if continues.unit_id != unit.pk or continues.year >= data["year"] or continues == model:
            raise ValidationError({"continues": _("Chỉ liên kết với mô hình của chính đơn vị ở năm trước.")})
    source = data.get("replicated_from")
    if source is not None:
        visible = models_visible_to(user).filter(pk=source.pk, state=State.RECOGNISED).exists()
        if not visible or source.unit_id == unit.pk:
            raise ValidationError(
                {"replicated_from": _("Chỉ nhân rộng được mô hình đã được công nhận của đơn vị khác.")}
            )


def _attach(*, model: DvkModel, user, files: Iterable[CleanFile], kept_ids: Iterable[int] = (),
            report: ProgressReport | None = None) -> list[Attachment]:
    """Store new files and adopt uploads kept from a refused form; enforce the per-model total."""
    files = list(files)
    kept = list(
        Attachment.objects.filter(
            pk__in=list(kept_ids), model__isnull=True, report__isnull=True, uploaded_by=user
        )
    )
    existing = model.attachments.aggregate(total=Sum("size"))["total"] or 0
    check_total(existing + sum(a.size for a in kept), files)
    created = []
    for clean in files:
        attachment = Attachment(
            model=model, report=report, kind=clean.kind, original_name=nfc(clean.name)[:255],
            content_type=clean.content_type, size=clean.size, uploaded_by=user,
        )
        attachment.file.save(clean.content.name, clean.content, save=False)
        if clean.thumbnail is not None:
            attachment.thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        attachment.save()
        created.append(attachment)
    for attachment in kept:
        attachment.model = model
        attachment.report = report
        attachment.save(update_fields=["model", "report"])
    return created + kept


def uploads_keep(*, user, files: Iterable[CleanFile]) -> list[Attachment]:
    """Store valid uploads of a refused form so the user need not choose them again."""
    kept = []
    for clean in files:
        attachment = Attachment(
            kind=clean.kind, original_name=nfc(clean.name)[:255], content_type=clean.content_type,
            size=clean.size, uploaded_by=user,
        )
        attachment.file.save(clean.content.name, clean.content, save=False)
        if clean.thumbnail is not None:
            attachment.thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        attachment.save()
        kept.append(attachment)
    return kept


@transaction.atomic
def model_create(*, user, data: dict, files: Iterable[CleanFile] = (), kept_ids: Iterable[int] = ()) -> DvkModel:
    """Save a new draft for the user's unit (visible only inside the unit until submitted)."""
    unit = user.unit
    require(user, unit, STAFF)
    require_unit_open(unit)
    _clean_links(user=user, data=data, unit=unit)
    model = DvkModel(unit=unit, created_by=user, state=State.DRAFT)
    for name in EDITABLE_FIELDS:
        value = data.get(name)
        setattr(model, name, nfc(value or "") if name in TEXT_FIELDS else value)
    model.field = model.field or ""
    model.save()
    _attach(model=model, user=user, files=files, kept_ids=kept_ids)
    _event(model, user, A.CREATE)
    return model


@transaction.atomic
def model_update(*, model: DvkModel, user, data: dict, version: int, files: Iterable[CleanFile] = (),
                 kept_ids: Iterable[int] = (), remove_ids: Iterable[int] = ()) -> DvkModel:
    """Save changes to a draft or a returned proposal, unless someone saved it since `version`."""
    workflow.check(user, model, A.EDIT)
    # Optimistic locking: UPDATE ... WHERE version = n; no row means another save came first.
    bumped = DvkModel.objects.filter(pk=model.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(
            _("Mô hình vừa được người khác sửa sau khi bạn mở biểu mẫu. Thay đổi của bạn chưa được lưu: "
            "hãy tải lại trang để xem bản mới nhất rồi sửa lại.")
        )
    model = DvkModel.objects.select_related("unit").get(pk=model.pk)
    _clean_links(user=user, data=data, unit=model.unit, model=model)
    for name in EDITABLE_FIELDS:
        value = data.get(name)
        setattr(model, name, nfc(value or "") if name in TEXT_FIELDS else value)
    if model.state != State.DRAFT:
        # A returned proposal was complete when submitted and stays so (leadership count it).
        missing = model.missing_for_submit()
        if missing:
            raise ValidationError({name: _("Mục này cần có trong bản đăng ký đã gửi.") for name in missing})
    model.save()
    model.attachments.filter(pk__in=list(remove_ids), report__isnull=True).delete()
    _attach(model=model, user=user, files=files, kept_ids=kept_ids)
    return model


@transaction.atomic
def model_submit(*, model: DvkModel, user, comment: str = "", today: dt.date | None = None) -> DvkModel:
    """Send a proposal for approval; after the unit's deadline only leadership may let it through."""
    model = _locked(model)
    workflow.check(user, model, A.SUBMIT)
    today = today or timezone.localdate()
    require_unit_open(model.unit, on=today)
    deadline = deadline_for(model.unit, model.year)
    extended = model.submit_until is not None and today <= model.submit_until
    late = today >= deadline and not extended
    if late and not has_role(user, LEADER):
        raise ValidationError(
            _("Đã hết hạn đăng ký mô hình năm %(year)s (trước ngày %(deadline)s). "
              "Chỉ lãnh đạo mới có thể cho phép gửi sau hạn.") % {"year": model.year, "deadline": f"{deadline:%d/%m/%Y}"}
        )
    if not late and not has_role(user, STAFF):
        raise PermissionDenied(_("Cán bộ đơn vị gửi đăng ký; lãnh đạo chỉ cho phép gửi khi đã quá hạn."))
    if late and not comment.strip():
        raise ValidationError(_("Khi cho phép gửi sau hạn, lãnh đạo cần ghi rõ lý do."))
    gaps = submit_gaps(model)
    if gaps:
        raise IncompleteModel(gaps)
    from_state = model.state
    model.state = State.SUBMITTED
    model.submitted_late = late
    model.version += 1
    model.save()
    _event(model, user, A.SUBMIT, from_state=from_state, comment=comment, is_override=late)
    workflow_event_emit(kind="model.submitted", record=model, actor=user, comment=comment)
    return model


@transaction.atomic
def model_comment(*, model: DvkModel, user, comment: str) -> ModelEvent:
    """Leadership or the Party cell committee give an opinion on a proposal or a running model."""
    workflow.check(user, model, A.COMMENT)
    if not comment.strip():
        raise ValidationError(_("Vui lòng nhập nội dung góp ý."))
    workflow_event_emit(kind="model.commented", record=model, actor=user, comment=comment)
    return _event(model, user, A.COMMENT, from_state=model.state, comment=comment)


@transaction.atomic
def model_approve(*, model: DvkModel, user, comment: str = "") -> DvkModel:
    """Leadership approve a proposal: the model is registered."""
    model = _locked(model)
    workflow.check(user, model, A.APPROVE)
    from_state = model.state
    model.state = State.REGISTERED
    model.return_note = ""
    model.return_field_notes = {}
    model.version += 1
    model.save()
    _event(model, user, A.APPROVE, from_state=from_state, comment=comment)
    workflow_event_emit(kind="model.approved", record=model, actor=user, comment=comment)
    if model.replicated_from_id:
        workflow_event_emit(kind="model.replicated", record=model.replicated_from, actor=user,
                            comment=f"{model.unit}: {model.name}")
    return model


# Fields a return may point at; their notes are shown beside them on the edit form.
NOTE_FIELDS = ("name", "goals", "target_group", "how_it_works", "leader_text", "participants", "start_date",
               "expected_results", "resources")


def resubmit_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "MODEL_RESUBMIT_DAYS", 5))


@transaction.atomic
def model_return(*, model: DvkModel, user, comment: str, field_notes: dict[str, str] | None = None,
                 today: dt.date | None = None) -> DvkModel:
    """Leadership return a proposal with the changes required ("request changes"): a general note
    and notes per field that staff see beside those fields. Returned close to (or after) the
    deadline, the model gets the days it needs to be resubmitted."""
    notes = {name: nfc(text).strip() for name, text in (field_notes or {}).items()
             if name in NOTE_FIELDS and text and text.strip()}
    if not comment.strip() and not notes:
        raise ValidationError(_("Vui lòng ghi rõ nội dung cần sửa khi trả lại."))
    model = _locked(model)
    workflow.check(user, model, A.RETURN)
    today = today or timezone.localdate()
    from_state = model.state
    model.state = State.RETURNED
    model.return_note = nfc(comment).strip()
    model.return_field_notes = notes
    needed = today + dt.timedelta(days=resubmit_days())
    if needed >= deadline_for(model.unit, model.year) and (model.submit_until is None or model.submit_until < needed):
        model.submit_until = needed
        comment = (f"{comment.strip()}\n" if comment.strip() else "") + _(
            "Được gửi lại đến hết ngày %(date)s.") % {"date": f"{needed:%d/%m/%Y}"}
    model.version += 1
    model.save()
    labels = {name: str(DvkModel._meta.get_field(name).verbose_name) for name in notes}
    detail = "\n".join(f"{labels[name].capitalize()}: {text}" for name, text in notes.items())
    comment = "\n".join(part for part in (comment.strip(), detail) if part)
    _event(model, user, A.RETURN, from_state=from_state, comment=comment)
    workflow_event_emit(kind="model.returned", record=model, actor=user, comment=comment)
    return model


@transaction.atomic
def report_add(*, model: DvkModel, user, data: dict, files: Iterable[CleanFile] = (),
               kept_ids: Iterable[int] = ()) -> ProgressReport:
    """Staff add a progress report (period, what was done, results, evidence) to a running model."""
    workflow.check(user, model, A.REPORT)
    if data["period_end"] < data["period_start"]:
        raise ValidationError({"period_end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    report = ProgressReport.objects.create(
        model=model, created_by=user,
        period_start=data["period_start"], period_end=data["period_end"],
        activities=nfc(data["activities"]).strip(),
        people_reached=data.get("people_reached") or 0, beneficiaries=data.get("beneficiaries") or 0,
        money_raised=data.get("money_raised") or 0, works_built=data.get("works_built") or 0,
    )
    _attach(model=model, user=user, files=files, kept_ids=kept_ids, report=report)
    _event(model, user, A.REPORT, from_state=model.state,
           comment=f"Kỳ {data['period_start']:%d/%m/%Y} – {data['period_end']:%d/%m/%Y}")
    workflow_event_emit(kind="model.reported", record=model, actor=user,
                        comment=f"{data['period_start']:%d/%m/%Y} – {data['period_end']:%d/%m/%Y}")
    return report


@transaction.atomic
def model_evaluate(*, model: DvkModel, user, is_effective: bool, reason: str) -> DvkModel:
    """The unit evaluates its model at year end: effective or not, with a reason."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do đánh giá."))
    model = _locked(model)
    workflow.check(user, model, A.EVALUATE)
    from_state = model.state
    model.state = State.EVALUATED
    model.is_effective = is_effective
    model.evaluation_reason = nfc(reason).strip()
    model.version += 1
    model.save()
    verdict = "Hiệu quả" if is_effective else "Chưa hiệu quả"
    _event(model, user, A.EVALUATE, from_state=from_state, comment=f"{verdict}: {reason}")
    workflow_event_emit(kind="model.evaluated", record=model, actor=user, comment=f"{verdict}: {reason}")
    return model


@transaction.atomic
def model_recognise(*, model: DvkModel, user, comment: str = "", on: dt.date | None = None,
                    council=None) -> DvkModel:
    """A higher unit's leadership recognises an effective model at its own level; or, with
    `council`, the emulation council whose vote passed it does, at the council's level (the
    council's service has checked the vote; `user` is its secretary or chair who closed it)."""
    model = _locked(model)
    if council is None:
        workflow.check(user, model, A.RECOGNISE)
        level, by = workflow.recognition_level_for(user), scope_unit(user) or model.unit
    else:
        level, by = council.level, council.unit
        if not workflow.recognisable_at(model, level) or not model.unit.path.startswith(by.path):
            raise ValidationError(_("Mô hình này không thể được công nhận ở cấp của Hội đồng."))
    from_state = model.state
    model.state = State.RECOGNISED
    model.recognition_level = level
    model.recognised_by = by
    model.recognised_on = on or timezone.localdate()
    model.version += 1
    model.save()
    text = f"{model.get_recognition_level_display()} – {model.recognised_by}"
    _event(model, user, A.RECOGNISE, from_state=from_state,
           comment=f"{text}. {comment}".strip() if comment.strip() else text)
    workflow_event_emit(kind="model.recognised", record=model, actor=user, comment=text)
    return model


def _slug_for(model: DvkModel) -> str:
    return f"{slugify(fold(model.name))[:90].strip('-') or 'mo-hinh'}-{model.pk}"


@transaction.atomic
def model_publish(*, model: DvkModel, user, comment: str = "") -> DvkModel:
    """Make a recognised model public: it appears in the showcase."""
    model = _locked(model)
    workflow.check(user, model, A.PUBLISH)
    model.is_public = True
    model.slug = model.slug or _slug_for(model)
    model.version += 1
    model.save()
    _event(model, user, A.PUBLISH, from_state=model.state, comment=comment)
    return model


@transaction.atomic
def model_unpublish(*, model: DvkModel, user, comment: str = "") -> DvkModel:
    """Withdraw a model from the showcase."""
    model = _locked(model)
    workflow.check(user, model, A.UNPUBLISH)
    model.is_public = False
    model.version += 1
    model.save()
    _event(model, user, A.UNPUBLISH, from_state=model.state, comment=comment)
    return model


# --- Extensions, continuing into the next year, deleting a draft, editing a report -----------------------


@transaction.atomic
def extension_request(*, model: DvkModel, user, reason: str) -> ExtensionRequest:
    """The registering unit asks leadership to let a proposal be submitted after the deadline."""
    model = _locked(model)
    if not (workflow.can(user, model, A.EDIT) and has_role(user, STAFF)):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị đăng ký xin gia hạn cho mô hình chưa gửi."))
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do xin gia hạn.")})
    if model.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError(_("Mô hình đã có đề nghị gia hạn đang chờ xem xét."))
    request = ExtensionRequest.objects.create(model=model, reason=reason, requested_by=user)
    _event(model, user, A.EXTENSION_REQUEST, from_state=model.state, comment=reason)
    workflow_event_emit(kind="model.extension_requested", record=model, actor=user, comment=reason)
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, user, grant: bool, until: dt.date | None = None,
                     note: str = "", today: dt.date | None = None) -> ExtensionRequest:
    """Leadership grant an extension with a date for this record, or refuse it with a reason."""
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    model = _locked(request.model)
    require(user, model.unit, LEADER)
    if request.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(_("Đề nghị gia hạn này đã được xem xét."))
    today = today or timezone.localdate()
    note = nfc(note).strip()
    if grant:
        if until is None or until < today:
            raise ValidationError({"until": _("Hãy chọn ngày gia hạn từ hôm nay trở đi.")})
        request.status, request.until = ExtensionRequest.Status.GRANTED, until
        model.submit_until = until
        model.save(update_fields=["submit_until"])
        text = _("Được gửi đến hết ngày %(date)s.") % {"date": f"{until:%d/%m/%Y}"}
        text = f"{text} {note}".strip()
    else:
        if not note:
            raise ValidationError({"note": _("Vui lòng nêu lý do không đồng ý gia hạn.")})
        request.status, text = ExtensionRequest.Status.REFUSED, note
    request.decision_note, request.decided_by, request.decided_at = note, user, timezone.now()
    request.save()
    _event(model, user, A.EXTENSION_GRANT if grant else A.EXTENSION_REFUSE, from_state=model.state, comment=text)
    workflow_event_emit(kind="model.extension_decided", record=model, actor=user, comment=text)
    return request


def can_continue(user, model: DvkModel) -> bool:
    """A running model of the user's own unit, not yet continued into the next year."""
    return (model.state in RUNNING_STATES and has_role(user, STAFF) and user.unit_id == model.unit_id
            and not DvkModel.objects.filter(continues=model, year=model.year + 1).exists())


@transaction.atomic
def model_continue(*, model: DvkModel, user) -> DvkModel:
    """"Duy trì sang năm …": a draft for the next year, prefilled from the model and linked to it
    (one per model and year; asking twice opens the first)."""
    model = _locked(model)
    existing = DvkModel.objects.filter(continues=model, year=model.year + 1).first()
    if existing is not None:
        return existing
    if not can_continue(user, model):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị duy trì được mô hình đang thực hiện."))
    from portal.units.models import Phase

    year = model.year + 1
    phase = Phase.for_year(year)
    if phase is None:
        raise ValidationError(_("Năm %(year)s không thuộc giai đoạn nào của phong trào.") % {"year": year})
    copy = DvkModel(unit=model.unit, phase=phase, year=year, created_by=user, state=State.DRAFT,
                    registration_kind=RegistrationKind.MAINTAINED, continues=model)
    for name in ("field", "name", "goals", "target_group", "how_it_works", "leader_text", "participants",
                 "expected_results", "resources"):
        setattr(copy, name, getattr(model, name))
    copy.start_date = max(model.start_date or dt.date(year, 1, 1), dt.date(year, 1, 1))
    copy.save()
    _event(copy, user, A.CREATE, comment=_("Duy trì từ mô hình năm %(year)s.") % {"year": model.year})
    _event(model, user, A.CONTINUE, from_state=model.state, comment=str(year))
    return copy


@transaction.atomic
def model_delete(*, model: DvkModel, user) -> None:
    """Withdraw a draft that was never submitted: it is deleted with its files."""
    model = _locked(model)
    if model.state != State.DRAFT or not workflow.can(user, model, A.EDIT):
        raise PermissionDenied(_("Chỉ xóa được bản nháp chưa gửi của đơn vị mình."))
    for attachment in model.attachments.all():
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
    model.delete()


def can_edit_report(user, report: ProgressReport) -> bool:
    """Progress reports stay editable by the unit's staff until the model is evaluated."""
    return report.model.state == State.REGISTERED and workflow.can(user, report.model, A.REPORT)


@transaction.atomic
def report_update(*, report: ProgressReport, user, data: dict, files: Iterable[CleanFile] = (),
                  kept_ids: Iterable[int] = ()) -> ProgressReport:
    """Correct a progress report while the model is not yet evaluated."""
    model = _locked(report.model)
    report = ProgressReport.objects.select_related("model").get(pk=report.pk)
    if not can_edit_report(user, report):
        raise PermissionDenied(_("Báo cáo tiến độ chỉ sửa được trước khi mô hình được đánh giá."))
    if data["period_end"] < data["period_start"]:
        raise ValidationError({"period_end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    report.period_start, report.period_end = data["period_start"], data["period_end"]
    report.activities = nfc(data["activities"]).strip()
    for name in ("people_reached", "beneficiaries", "money_raised", "works_built"):
        setattr(report, name, data.get(name) or 0)
    report.save()
    _attach(model=model, user=user, files=files, kept_ids=kept_ids, report=report)
    _event(model, user, A.REPORT_EDIT, from_state=model.state,
           comment=f"Kỳ {report.period_start:%d/%m/%Y} – {report.period_end:%d/%m/%Y}")
    return report


BULK_ACTIONS = {A.APPROVE: model_approve, A.RETURN: model_return}


def models_bulk_decide(*, user, ids: Iterable[int], action: str, comment: str = "") -> tuple[int, list[str]]:
    """Approve or return many proposals with one comment; each in its own transaction.

    Returns (done, refusals): a model the rules forbid is skipped with a reason, never forced.
    """
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Thao tác hàng loạt không hợp lệ."))
    if action == A.RETURN and not comment.strip():
        raise ValidationError(_("Vui lòng ghi rõ nội dung cần sửa khi trả lại."))
    service = BULK_ACTIONS[action]
    done, refused = 0, []
    for model in models_visible_to(user).filter(pk__in=list(ids)).select_related("unit"):
        try:
            service(model=model, user=user, comment=comment)
        except (PermissionDenied, ValidationError):
            refused.append(model.name)
        else:
            done += 1
    return done, refused


@transaction.atomic
def deadline_set(*, user, unit: Unit, year: int, date: dt.date) -> RegistrationDeadline:
    """Leadership set the registration deadline of a year for their unit and everything below it."""
    require(user, unit, LEADER)
    from .selectors import deadline_bound

    bound = deadline_bound(unit, year)
    if bound is not None and date > bound:
        raise ValidationError({"date": _(
            "Cấp trên nhận đăng ký năm %(year)s trước ngày %(bound)s: hạn của đơn vị không được muộn hơn."
        ) % {"year": year, "bound": f"{bound:%d/%m/%Y}"}})
    deadline, _created = RegistrationDeadline.objects.update_or_create(
        unit=unit, year=year, defaults={"date": date, "set_by": user}
    )
    return deadline
