"""Forms of the documents app: issue a document (signer, date, recipients), enter a register line."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import nfc

from .models import Signer


class _Crispy(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SignerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Signer) -> str:
        return f"{obj.full_name} – {' / '.join(obj.authority_lines)}"


class IssueForm(_Crispy):
    """Issue a document: its date, who signs (from the people allowed to sign for the body), recipients."""

    date = forms.DateField(label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    signer = SignerChoiceField(label=_("Người ký"), queryset=Signer.objects.none(), required=False,
                               empty_label=None)
    recipients = forms.CharField(label=_("Nơi nhận"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                 help_text=_("Mỗi dòng một nơi nhận; “Lưu văn phòng” được thêm tự động."))

    def __init__(self, *args, signers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = Signer.objects.filter(pk__in=[s.pk for s in signers])
        if not signers:
            self.fields["signer"].widget = forms.HiddenInput()

    def clean_recipients(self):
        return nfc(self.cleaned_data["recipients"])


class ReportIssueForm(IssueForm):
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)

    field_order = ["date", "summary", "signer", "recipients"]


class ManualEntryForm(_Crispy):
    """A document numbered by hand outside the portal, entered so the numbering continues."""

    body_code = forms.CharField(label=_("Cơ quan ban hành (ký hiệu)"), max_length=30,
                                help_text=_("Ví dụ: BTGDVTU"))
    number = forms.IntegerField(label=_("Số"), min_value=1)
    doc_type = forms.CharField(label=_("Loại văn bản (viết tắt)"), max_length=10, help_text=_("Ví dụ: BC, QĐ, KH, TB"))
    date = forms.DateField(label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)
    signer_name = forms.CharField(label=_("Người ký"), max_length=100, required=False)
    recipients = forms.CharField(label=_("Nơi nhận"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1900, max_value=2100)
    body_code = forms.CharField(label=_("Cơ quan"), required=False)
    doc_type = forms.CharField(label=_("Loại"), required=False)
