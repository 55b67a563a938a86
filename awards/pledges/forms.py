"""Forms of pledges and review rounds (crispy, Vietnamese labels; rules live in services)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from portal.text import nfc

from ..models import AnnualResult, PledgeContent, RubricCriterion


class _Crispy:
    submit_label = _("Lưu")

    def _helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        return helper


class PledgeForm(_Crispy, forms.Form):
    content = forms.ModelChoiceField(
        label=_("Nội dung đăng ký (chọn 01 trong các nội dung)"), queryset=PledgeContent.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Hãy chọn đúng một nội dung đăng ký."),
                        "invalid_choice": _("Nội dung đăng ký không hợp lệ.")},
    )
    collective_name = forms.CharField(
        label=_("Đăng ký cho tập thể (để trống nếu đăng ký cá nhân)"), max_length=200, required=False,
        help_text=_("Ví dụ: Phòng Dân vận các cơ quan nhà nước; Tổ công đoàn số 1."),
    )
    goal = forms.CharField(label=_("Mục tiêu chung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contents=None, allow_collective=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].queryset = contents if contents is not None else PledgeContent.objects.none()
        if not allow_collective:
            del self.fields["collective_name"]
        self.helper = self._helper()

    def clean_content(self):
        # A radio group sends one value; a crafted request with several must not pick one silently.
        if hasattr(self.data, "getlist") and len(self.data.getlist(self.add_prefix("content"))) > 1:
            raise forms.ValidationError(_("Hãy chọn đúng một nội dung đăng ký."))
        return self.cleaned_data["content"]

    def clean_collective_name(self):
        return nfc(self.cleaned_data["collective_name"]).strip()


class CommitmentForm(forms.Form):
    what = forms.CharField(label=_("Việc cam kết"), max_length=500, required=False)
    due = forms.CharField(label=_("Thời hạn"), max_length=100, required=False,
                          widget=forms.TextInput(attrs={"placeholder": _("ví dụ: quý II/2025")}))
    measure = forms.CharField(label=_("Cách đo kết quả"), max_length=300, required=False)

    # A started commitment needs all three parts: the missing one is named on its own field, so the
    # page's error summary leads straight to it.
    MISSING = {
        "what": _("Hãy ghi việc cam kết (cam kết cần đủ việc, thời hạn và cách đo kết quả)."),
        "due": _("Hãy ghi thời hạn (cam kết cần đủ việc, thời hạn và cách đo kết quả)."),
        "measure": _("Hãy ghi cách đo kết quả (cam kết cần đủ việc, thời hạn và cách đo kết quả)."),
    }

    def clean(self):
        data = super().clean()
        filled = {k: bool(data.get(k, "").strip()) for k in self.MISSING if k not in self.errors}
        if any(filled.values()):
            for name, ok in filled.items():
                if not ok:
                    self.add_error(name, self.MISSING[name])
        return data


class BaseCommitmentFormSet(forms.BaseFormSet):
    summary_label = _("Cam kết cụ thể")

    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("what") for f in self.forms):
            raise forms.ValidationError(_("Cần ít nhất một cam kết cụ thể."))


CommitmentFormSet = formset_factory(CommitmentForm, formset=BaseCommitmentFormSet, extra=3, max_num=20)


class CommentForm(_Crispy, forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        self.helper = self._helper()


class RoundForm(_Crispy, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), coerce=int,
                                     choices=[(1, _("Quý I")), (2, _("Quý II")), (3, _("Quý III")), (4, _("Quý IV"))])
    meeting_date = forms.DateField(label=_("Ngày họp định kỳ"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()


class CriterionForm(forms.ModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = RubricCriterion
        fields = ["content", "name", "description", "weight", "max_score"]
        widgets = {"description": forms.TextInput()}

    def __init__(self, *args, contents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contents is not None:
            self.fields["content"].queryset = contents
        self.fields["content"].empty_label = None
        for name in ("weight", "max_score"):
            self.fields[name].widget.attrs.update({"class": "form-control form-control-sm text-end"})
        for name in ("name", "description"):
            self.fields[name].widget.attrs.update({"class": "form-control form-control-sm"})
        self.fields["content"].widget.attrs.update({"class": "form-select form-select-sm"})

    def full_clean(self):
        # The rows are drawn cell by cell (not by crispy): a field in error gets Bootstrap's red frame.
        super().full_clean()
        for name in self._errors or ():
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def has_changed(self):
        # The content select always has an option chosen, so the blank extra row looked "changed"
        # and was validated (and refused) on every save: it is blank unless something else is typed.
        return any(name not in ("content", "DELETE") for name in self.changed_data)


class BaseRubricFormSet(forms.BaseFormSet):
    summary_label = _("Bộ tiêu chí")

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self.form_kwargs}


RubricFormSet = formset_factory(CriterionForm, formset=BaseRubricFormSet, extra=1, can_delete=True, max_num=30)


class SelfAssessmentForm(_Crispy, forms.Form):
    achievements = forms.CharField(label=_("Kết quả đạt được trong quý"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.CharField(label=_("Minh chứng"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Văn bản, số liệu, đường dẫn chứng minh kết quả."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()


class PraiseForm(_Crispy, forms.Form):
    pledge = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do biểu dương"), max_length=1000)


class ProposalForm(forms.Form):
    result = forms.ModelChoiceField(queryset=AnnualResult.objects.none(), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do đề xuất"), max_length=2000)

    def __init__(self, *args, results=None, **kwargs):
        super().__init__(*args, **kwargs)
        if results is not None:
            self.fields["result"].queryset = results


class PledgeContentForm(_Crispy, forms.ModelForm):
    class Meta:
        model = PledgeContent
        fields = ["phase", "code", "title", "description", "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()
        self.helper.add_input(Submit("save", _("Lưu")))

    def clean_title(self):
        return nfc(self.cleaned_data["title"]).strip()
