"""Forms of the councils app (Vietnamese labels; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BallotCount


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Phiếu của bạn"), choices=BallotCount.Choice.choices, widget=forms.RadioSelect)


class PaperTallyForm(forms.Form):
    agree = forms.IntegerField(label=_("Đồng ý"), min_value=0)
    disagree = forms.IntegerField(label=_("Không đồng ý"), min_value=0)
    abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0)
    counting_committee = forms.CharField(label=_("Ban kiểm phiếu (mỗi dòng một người)"),
                                         widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class FeedbackForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), max_length=200, required=False)
    contact = forms.CharField(label=_("Điện thoại hoặc thư điện tử (không bắt buộc)"), max_length=200, required=False)
    text = forms.CharField(label=_("Ý kiến"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
