"""Forms of commendations (crispy, Vietnamese labels; the rules live in the services)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import nfc

from ..models import AwardForm, AwardLevel, AwardSubject, Occasion


class _Crispy(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ProposalCreateForm(_Crispy):
    body = forms.ChoiceField(label=_("Cơ quan đề nghị"))
    occasion = forms.ChoiceField(label=_("Dịp khen thưởng"), choices=Occasion.choices, initial=Occasion.DAY_1510)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100,
                              help_text=_("Với dịp tổng kết giai đoạn: năm bất kỳ của giai đoạn."))
    number = forms.CharField(label=_("Số tờ trình"), max_length=40, required=False,
                             help_text=_("Ví dụ: 12-TTr/BDVH"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = list(bodies)

    def clean_number(self):
        return nfc(self.cleaned_data["number"]).strip()

    def clean_note(self):
        return nfc(self.cleaned_data["note"]).strip()


class SubjectAddForm(_Crispy):
    kind = forms.ChoiceField(label=_("Loại đối tượng"), choices=AwardSubject.Kind.choices)
    target_id = forms.IntegerField(label=_("Đối tượng"), widget=forms.HiddenInput)
    form = forms.ChoiceField(label=_("Hình thức"), choices=AwardForm.choices, initial=AwardForm.CERTIFICATE)
    level = forms.TypedChoiceField(label=_("Cấp khen thưởng"), choices=AwardLevel.choices, coerce=int)
    reason = forms.CharField(label=_("Thành tích bổ sung"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Lý do lấy từ hồ sơ (điểm, kết quả, công nhận, nhân rộng); có thể ghi thêm."))

    def clean_reason(self):
        return nfc(self.cleaned_data["reason"]).strip()


class RevokeForm(_Crispy):
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}))
