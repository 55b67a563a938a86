"""Pages that sign a register line in the portal, take a PDF signed elsewhere, and serve the signed PDF."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import permissions as perms

from . import signatures
from .models import DocumentSignature, OutgoingDocument
from .signing import signing_enabled
from .views import _entry_visible


class SignedUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp PDF đã ký số"),
                           help_text=gettext_lazy("Tệp PDF của chính văn bản này, do người ký ký số bằng thiết bị "
                                                  "hoặc phần mềm của mình."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))


def _signable(entry: OutgoingDocument) -> None:
    if entry.status != OutgoingDocument.Status.ISSUED or not entry.kind:
        raise Http404


def _signature(entry: OutgoingDocument) -> DocumentSignature | None:
    return DocumentSignature.objects.filter(entry=entry).first()


@login_required
def entry_sign(request, pk):
    """GET: what will be signed, in whose name; POST: sign (a second POST finds it signed)."""
    entry = _entry_visible(request, pk)
    perms.require_may_sign_document(request.user, entry)
    _signable(entry)
    if not signing_enabled():
        raise Http404
    if request.method == "POST":
        try:
            outcome = signatures.entry_sign(entry=entry, user=request.user)
        except (signatures.SigningError, ValidationError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, message)
            return redirect("documents:sign", pk=entry.pk)
        if outcome.created:
            messages.success(request, _("Đã ký số văn bản số %(number)s.") % {"number": entry.symbol})
        else:
            messages.info(request, _("Văn bản số %(number)s đã được ký số trước đó; không ký lại.")
                          % {"number": entry.symbol})
        return redirect("documents:entry", pk=entry.pk)
    return render(request, "documents/signature_confirm.html", {"entry": entry, "signature": _signature(entry)})


@login_required
def entry_upload_signed(request, pk):
    """Take the PDF of this line that its signer signed elsewhere; say exactly why when it is refused."""
    entry = _entry_visible(request, pk)
    perms.require_may_sign_document(request.user, entry, upload=True)
    _signable(entry)
    signature = _signature(entry)
    form = SignedUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and signature is None and form.is_valid():
        try:
            signatures.entry_attach_signed(entry=entry, user=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("Đã lưu bản ký số của văn bản số %(number)s.") % {"number": entry.symbol})
            return redirect("documents:entry", pk=entry.pk)
    return render(request, "documents/signature_upload.html", {"entry": entry, "form": form,
                                                                "signature": signature})


@login_required
def entry_download_signed(request, pk):
    """The signed PDF of a register line."""
    entry = _entry_visible(request, pk)
    signature = _signature(entry)
    if signature is None or not signature.file:
        raise Http404
    name = f"{entry.filename or entry.symbol.replace('/', '-')}-da-ky.pdf"
    return FileResponse(signature.file.open("rb"), as_attachment=True, filename=name,
                        content_type="application/pdf")
