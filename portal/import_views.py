from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.permissions import ADMIN, require_role, units_visible_to
from portal.xlsx import xlsx_response

from . import imports
from .forms import ImportUnitChoiceForm, ImportUploadForm, add_service_errors
from .models import ImportBatch

DONE_URL = {ImportBatch.Kind.UNITS: "units:list", ImportBatch.Kind.USERS: "accounts:user_list"}


def _kind(kind: str) -> str:
    if kind not in ImportBatch.Kind.values:
        raise Http404
    return kind


@login_required
def upload(request, kind):
    require_role(request.user, ADMIN)
    kind = _kind(kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_upload(kind=kind, upload=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("imports:preview", pk=batch.pk)
    return render(
        request,
        "portal/import_upload.html",
        {"form": form, "kind_label": ImportBatch.Kind(kind).label, "kind": kind},
    )


@login_required
def template(request, kind):
    require_role(request.user, ADMIN)
    kind = _kind(kind)
    return xlsx_response(imports.template_workbook(kind), f"mau-nhap-{kind}.xlsx")


@login_required
def preview(request, pk):
    require_role(request.user, ADMIN)
    batch = get_object_or_404(ImportBatch, pk=pk, created_by=request.user)
    if batch.status != ImportBatch.Status.PENDING:
        messages.info(request, _("Tệp này đã được xử lý."))
        return redirect(DONE_URL[batch.kind])
    if request.method == "POST" and "cancel" in request.POST:
        batch.status = ImportBatch.Status.CANCELLED
        batch.content = b""
        batch.save(update_fields=["status", "content"])
        messages.info(request, _("Đã hủy nhập dữ liệu; không dòng nào được lưu."))
        return redirect(DONE_URL[batch.kind])
    rows = imports.parse_batch(batch)
    importer = imports.IMPORTERS[batch.kind]
    initial = {f"row-{k}" if k != "all" else "all": v for k, v in batch.unit_choices.items()}
    form = ImportUnitChoiceForm(
        request.POST or None, rows=rows, units=units_visible_to(request.user), column=importer.unit_column,
        initial=initial,
    )
    if request.method == "POST":
        # Units picked on the page are recorded first; a changed pick is previewed again before saving.
        if form.is_valid():
            choices = form.choices()
            picked = {key: unit.pk for key, unit in choices.items() if unit is not None}
            if picked != batch.unit_choices:
                try:
                    imports.import_choose_units(batch=batch, user=request.user, choices=choices)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.info(request, _("Đã ghi đơn vị bạn chọn. Hãy xem lại trước khi lưu."))
                    return redirect("imports:preview", pk=batch.pk)
            elif "commit" in request.POST:
                try:
                    saved = imports.import_commit(batch=batch, user=request.user)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _('Đã nhập %(saved)s dòng.') % {"saved": saved})
                    return redirect(DONE_URL[batch.kind])
    headers = importer.headers
    return render(
        request,
        "portal/import_preview.html",
        {
            "batch": batch,
            "headers": headers,
            "form": form,
            "unit_column": importer.unit_column,
            "rows": [
                {"number": r.number, "values": [r.data.get(h, "") for h in headers], "errors": r.errors,
                 "picker": form.row_field(r.number), "unit_in_file": r.unit_in_file, "chosen": r.unit_chosen}
                for r in rows
            ],
            "error_count": sum(1 for r in rows if r.errors),
        },
    )
