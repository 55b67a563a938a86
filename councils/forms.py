"""Forms of the councils app (Vietnamese labels; rules live in services)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.permissions import units_visible_to
from portal.text import nfc
from portal.units.models import Unit
from portal.units.widgets import UnitPickerWidget

from . import selectors
from .models import AgendaItem, BallotCount, Council, CouncilMember, Rubric


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


# --- Forms of the secretary and the administrator ---------------------------------------------------

def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} – {obj.unit}" if obj.unit_id else obj.full_name


class CouncilForm(forms.ModelForm):
    """A council of a level for a term (administrators)."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Cấp (đơn vị)"), widget=UnitPickerWidget)

    class Meta:
        model = Council
        fields = ["unit", "name", "level", "term_start", "term_end", "quorum_num", "quorum_den", "disagreement_std"]
        widgets = {
            "term_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user)
        self.helper = _helper(_("Lưu Hội đồng"))

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("Nhiệm kỳ kết thúc phải sau ngày bắt đầu."))
        if (data.get("quorum_num") or 0) > (data.get("quorum_den") or 1):
            self.add_error("quorum_num", _("Tỷ lệ có mặt tối thiểu không lớn hơn 1."))
        if isinstance(data.get("name"), str):
            data["name"] = nfc(data["name"]).strip()
        return data


class MemberForm(forms.Form):
    """A seat on the council: who, with which title and position."""

    member = PersonChoiceField(label=_("Thành viên"), queryset=None,
                               help_text=_("Cán bộ của cấp Hội đồng, các ban, đơn vị trực thuộc."))
    role = forms.ChoiceField(label=_("Chức danh trong Hội đồng"), choices=CouncilMember.Role.choices,
                             initial=CouncilMember.Role.MEMBER)
    position = forms.CharField(label=_("Chức vụ, đơn vị công tác"), max_length=300, required=False)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, council: Council, seat: CouncilMember | None = None, **kwargs):
        if seat is not None:
            kwargs.setdefault("initial", {"member": seat.user_id, "role": seat.role, "position": seat.position,
                                          "order": seat.order})
        super().__init__(*args, **kwargs)
        people = selectors.people_for_council(council)
        if seat is not None:  # the person of a seat stays; another person is another seat
            people = get_user_model().objects.filter(pk=seat.user_id)
            self.fields["member"].disabled = True
        self.fields["member"].queryset = people
        self.helper = _helper(_("Lưu thành viên"))

    def clean_position(self):
        return nfc(self.cleaned_data["position"]).strip()


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Ngày họp"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Lên lịch phiên họp"))

    def clean_place(self):
        return nfc(self.cleaned_data["place"]).strip()


class ItemAddForm(forms.Form):
    """One agenda item: a model for recognition or a subject of a commendation proposal, chosen
    among the records the council may consider (selectors.eligible_*)."""

    model = forms.ModelChoiceField(label=_("Mô hình đề nghị công nhận"), queryset=None, required=False,
                                   empty_label=_("— không chọn —"))
    subject = forms.ModelChoiceField(label=_("Đối tượng đề nghị khen thưởng"), queryset=None, required=False,
                                     empty_label=_("— không chọn —"))
    method = forms.ChoiceField(label=_("Hình thức bỏ phiếu"), choices=AgendaItem.Method.choices,
                               initial=AgendaItem.Method.BALLOT)

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = selectors.eligible_models(council)
        self.fields["model"].label_from_instance = lambda m: f"{m.name} – {m.unit}"
        self.fields["subject"].queryset = selectors.eligible_subjects(council)
        self.fields["subject"].label_from_instance = (
            lambda s: f"{s.name} – {s.get_form_display()} ({s.proposal.unit})")
        self.helper = _helper(_("Thêm vào nội dung xét"))
        self.helper.form_id = "item-add-form"
        self.helper.add_input(Submit("another", _("Thêm và chọn tiếp"), css_class="btn-outline-primary"))

    def clean(self):
        data = super().clean()
        if bool(data.get("model")) == bool(data.get("subject")):
            raise forms.ValidationError(_("Hãy chọn một mô hình hoặc một đối tượng đề nghị khen thưởng."))
        return data


class EvaluatorForm(forms.Form):
    """Appoint a member or an expert to score the session's models on a rubric."""

    evaluator = PersonChoiceField(label=_("Người chấm"), queryset=None,
                                  help_text=_("Thành viên Hội đồng, hoặc chuyên gia được mời (không là thành viên)."))
    rubric = forms.ModelChoiceField(label=_("Bộ tiêu chí"), queryset=Rubric.objects.select_related("phase")
                                    .order_by("-phase__start_year", "name"))

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        seated = council.members.values("user_id")
        people = selectors.people_for_council(council).values("pk")
        self.fields["evaluator"].queryset = (
            get_user_model().objects.filter(is_active=True).filter(Q(pk__in=seated) | Q(pk__in=people))
            .select_related("unit").order_by("full_name", "id"))
        self.seated = set(council.members.values_list("user_id", flat=True))
        self.helper = _helper(_("Phân công chấm điểm"))

    def clean(self):
        data = super().clean()
        if data.get("evaluator") is not None:
            data["is_expert"] = data["evaluator"].pk not in self.seated
        return data
