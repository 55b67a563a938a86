"""Forms of the registry: crispy forms with Vietnamese labels; uploads checked by content."""

from __future__ import annotations

import datetime as dt
import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.inputs import state_range
from portal.params import parse_id, parse_ids
from portal.text import nfc
from portal.units.models import Phase, Unit
from portal.units.widgets import UnitPickerWidget

from .models import (
    FORM_STEPS,
    SUBMIT_REQUIRED,
    DvkModel,
    ModelEvent,
    ModelField,
    ProgressReport,
    RecognitionLevel,
    State,
)
from .uploads import ACCEPT, ALLOWED_TEXT, clean_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `clean_upload` (type by content, size, EXIF)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(clean_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        # Good files are kept even when one is refused, so the user only replaces the bad one.
        self.valid_files = cleaned
        if errors:
            raise ValidationError(errors)
        return cleaned


def _ids(value: str) -> list[int]:
    return parse_ids((value or "").split(","))


class UploadsMixin:
    """A form with evidence: `attachments` (new files) and `kept_uploads` (files kept from a refused post)."""

    def kept_ids(self) -> list[int]:
        return _ids(self.data.get("kept_uploads", "")) if self.is_bound else []

    def valid_new_files(self) -> list:
        field = self.fields["attachments"]
        if hasattr(self, "cleaned_data") and "attachments" in self.cleaned_data:
            return self.cleaned_data["attachments"]
        return getattr(field, "valid_files", [])


class DvkModelForm(UploadsMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Tệp minh chứng (ảnh, PDF, Word, Excel)"),
        help_text=_("Chọn được nhiều tệp; chỉ nhận %(types)s. Thông tin vị trí (GPS) trong ảnh sẽ được xóa.")
        % {"types": ALLOWED_TEXT},
    )
    kept_uploads = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = DvkModel
        fields = [
            "phase", "year", "field", "name", "registration_kind", "continues", "replicated_from",
            "goals", "target_group", "how_it_works", "leader_text", "participants", "start_date",
            "expected_results", "resources",
        ]
        labels = {
            "phase": _("Giai đoạn"),
            "year": _("Năm đăng ký"),
            "field": _("Lĩnh vực"),
            "name": _("Tên mô hình"),
            "registration_kind": _("Đăng ký"),
            "continues": _("Mô hình đang duy trì (bản đăng ký năm trước)"),
            "replicated_from": _("Nhân rộng từ mô hình"),
            "goals": _("Mục tiêu"),
            "target_group": _("Đối tượng hướng đến"),
            "how_it_works": _("Cách thức thực hiện"),
            "leader_text": _("Người/bộ phận chủ trì"),
            "participants": _("Thành phần tham gia (không bắt buộc)"),
            "start_date": _("Ngày bắt đầu thực hiện"),
            "expected_results": _("Kết quả dự kiến"),
            "resources": _("Nguồn lực (không bắt buộc)"),
        }
        help_texts = {
            "name": _("Ví dụ: “Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa”."),
            "continues": _("Chỉ chọn khi duy trì mô hình đã đăng ký ở năm trước."),
            "resources": _("Kinh phí, nhân lực, phương tiện, nguồn xã hội hóa…"),
        }
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "how_it_works": forms.Textarea(attrs={"rows": 4}),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "replicated_from": forms.HiddenInput,
        }

    def __init__(self, *args, user, continues_qs, replicate_qs, kept=(), gaps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A draft is saved with its name alone; what a proposal needs is checked when it is sent.
        # A returned proposal was complete when sent, so it must stay complete.
        self.complete_required = bool(self.instance.pk) and self.instance.state != State.DRAFT
        for name in SUBMIT_REQUIRED:
            self.fields[name].required = self.complete_required
        # After "Gửi đăng ký" was refused: the fields still missing are marked (the summary at the
        # top of the page lists them, each once, with a link here).
        self.gaps = list(gaps)
        for gap in self.gaps:
            widget = self.fields[gap.name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"
        self.fields["phase"].queryset = Phase.objects.order_by("-start_year")
        self.fields["phase"].empty_label = None
        current = Phase.current()
        this_year = dt.date.today().year
        if not self.instance.pk:
            self.initial.setdefault("phase", current.pk if current else None)
            self.initial.setdefault("year", this_year)
        years = sorted({y for p in Phase.objects.all() for y in p.years} | {this_year})
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Năm đăng ký"), coerce=int, choices=[(y, y) for y in years],
            initial=self.initial.get("year", self.instance.year or this_year),
        )
        self.fields["continues"].queryset = continues_qs
        self.fields["continues"].label_from_instance = lambda m: f"{m.year} · {m.name}"
        self.fields["replicated_from"].queryset = replicate_qs
        # While the name is typed, htmx asks for models that look alike (copied registrations).
        self.fields["name"].widget.attrs.update({
            "autocomplete": "off",
            "hx-get": reverse("models_registry:similar"),
            "hx-trigger": "keyup changed delay:600ms, change",
            "hx-target": "#similar-models",
            "hx-include": "[name=year]",
            "hx-vals": json.dumps({"pk": self.instance.pk or ""}),
        })
        self.kept = list(kept)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if self.instance.pk and self.instance.state == "returned":
            # "Request changes": the leader's note on a field is shown beside that field.
            for name, note in (self.instance.return_field_notes or {}).items():
                if name in self.fields:
                    self.fields[name].help_text = format_html(
                        '<span class="d-block alert alert-warning py-1 px-2 mt-1 mb-0" data-field-note="{}">'
                        "<strong>{}</strong> {}</span>", name, _("Yêu cầu sửa:"), note,
                    )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            # A new registration goes in three steps (portal.js shows one at a time; without script, or
            # when editing, all show): every field stays in the one form, saved by "Lưu bản nháp".
            Fieldset(
                FORM_STEPS[1],
                Div(Div("phase", css_class="col-md-4"), Div("year", css_class="col-md-3"),
                    Div("field", css_class="col-md-5"), css_class="row"),
                Field("name"),
                HTML('<div id="similar-models" aria-live="polite"></div>'),
                Div(Div("registration_kind", css_class="col-md-5"), Div("continues", css_class="col-md-7"),
                    css_class="row"),
                "replicated_from",
                data_step="1",
            ),
            Fieldset(
                FORM_STEPS[2],
                "goals", "target_group", "how_it_works",
                Div(Div("leader_text", css_class="col-md-8"), Div("start_date", css_class="col-md-4"),
                    css_class="row"),
                "participants", "expected_results", "resources",
                data_step="2",
            ),
            Fieldset(FORM_STEPS[3], "attachments", "kept_uploads", "version", data_step="3"),
        )

    def clean_name(self):
        return nfc(self.cleaned_data["name"]).strip()

    def clean(self):
        data = super().clean()
        phase, year = data.get("phase"), data.get("year")
        if phase and year and not (phase.start_year <= year <= phase.end_year):
            self.add_error("year", _("Năm %(year)s không thuộc giai đoạn %(phase)s.") % {"year": year, "phase": phase})
        kind = data.get("registration_kind")
        # A draft may leave the earlier record unchosen for now (checked when it is sent).
        if kind == "maintained" and not data.get("continues") and self.complete_required:
            self.add_error("continues", _("Mô hình duy trì cần liên kết với bản đăng ký năm trước."))
        if kind == "new":
            data["continues"] = None
        return data


class ProgressReportForm(UploadsMixin, forms.ModelForm):
    attachments = MultipleFileField(label=_("Minh chứng (ảnh, PDF, Word, Excel)"))
    kept_uploads = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ProgressReport
        fields = ["period_start", "period_end", "activities", "people_reached", "beneficiaries",
                  "money_raised", "works_built"]
        labels = {
            "period_start": _("Từ ngày"),
            "period_end": _("Đến ngày"),
            "activities": _("Nội dung đã thực hiện"),
            "people_reached": _("Số người được tuyên truyền, vận động"),
            "beneficiaries": _("Số người hưởng lợi"),
            "money_raised": _("Số tiền vận động được (đồng)"),
            "works_built": _("Số công trình, phần việc hoàn thành"),
        }
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "activities": forms.Textarea(attrs={"rows": 4}),
        }

    # The largest figures a model's report can hold: a province has about 1.3 million people.
    LIMITS = {"people_reached": 10_000_000, "beneficiaries": 10_000_000, "money_raised": 1_000_000_000_000,
              "works_built": 100_000}

    def __init__(self, *args, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = list(kept)
        for name, limit in self.LIMITS.items():
            state_range(self.fields[name], 0, limit)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(Div("period_start", css_class="col-md-6"), Div("period_end", css_class="col-md-6"), css_class="row"),
            "activities",
            Div(Div("people_reached", css_class="col-md-3"), Div("beneficiaries", css_class="col-md-3"),
                Div("money_raised", css_class="col-md-3"), Div("works_built", css_class="col-md-3"),
                css_class="row"),
            "attachments", "kept_uploads",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, required=False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_comment(self):
        return nfc(self.cleaned_data["comment"]).strip()


class ReturnForm(CommentForm):
    """"Request changes": a general note and, optionally, a note beside each field to change."""

    def __init__(self, *args, **kwargs):
        from .services import NOTE_FIELDS

        kwargs.setdefault("label", _("Nội dung cần sửa (chung)"))
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = False
        for name in NOTE_FIELDS:
            label = DvkModel._meta.get_field(name).verbose_name
            self.fields[f"note_{name}"] = forms.CharField(
                label=_("Yêu cầu sửa mục “%(field)s”") % {"field": label}, required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def field_notes(self) -> dict[str, str]:
        return {name[5:]: nfc(value).strip() for name, value in self.cleaned_data.items()
                if name.startswith("note_") and value and value.strip()}


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(label=_("Lý do xin gia hạn"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ExtensionDecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Quyết định"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
        choices=[("1", _("Đồng ý gia hạn")), ("0", pgettext_lazy("gia hạn", "Không đồng ý"))],
    )
    until = forms.DateField(label=_("Được gửi đến hết ngày"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Ý kiến (bắt buộc khi không đồng ý)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class EvaluateForm(forms.Form):
    is_effective = forms.TypedChoiceField(
        label=_("Kết quả đánh giá"), coerce=lambda v: v == "1",
        choices=[("1", _("Hiệu quả")), ("0", _("Chưa hiệu quả"))], widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Lý do, nhận xét"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_reason(self):
        return nfc(self.cleaned_data["reason"]).strip()


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Thao tác"),
        choices=[(ModelEvent.Action.APPROVE, _("Duyệt đăng ký")), (ModelEvent.Action.RETURN, _("Trả lại để sửa"))],
    )
    comment = forms.CharField(label=_("Ý kiến chung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True,
                                         error_messages={"required": _("Chọn ít nhất một mô hình.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The ids are checked against the rules in the service, not here.
        self.fields["ids"].choices = [(v, v) for v in (self.data.getlist("ids") if self.is_bound else [])]


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    date = forms.DateField(label=_("Hạn đăng ký (nhận trước ngày)"),
                           widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("date") and data["date"].year != data["year"]:
            self.add_error("date", _("Hạn đăng ký phải thuộc năm đã chọn."))
        return data


class ModelFilterForm(forms.Form):
    """The list's filters (read by `filters.apply_filters`)."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    phase = forms.ModelChoiceField(label=_("Giai đoạn"), queryset=Phase.objects.all(), required=False,
                                   empty_label=_("Mọi giai đoạn"))
    year = forms.IntegerField(label=_("Năm"), required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False,
                              choices=[("", _("Mọi lĩnh vực")), *ModelField.choices])
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Mọi trạng thái")), *State.choices])
    level = forms.TypedChoiceField(label=_("Cấp công nhận"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Mọi cấp")), *RecognitionLevel.choices])
    unit = forms.IntegerField(label=_("Đơn vị (kể cả cấp dưới)"), required=False,
                              widget=UnitPickerWidget(include_ended=True))
    sort = forms.ChoiceField(required=False, choices=[
        ("", _("Mới cập nhật")), ("name", _("Tên A–Z")), ("-year", _("Năm mới nhất")),
        ("year", _("Năm cũ nhất")), ("unit", _("Đơn vị")), ("state", _("Trạng thái")),
    ], widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def chip_display(self, name: str, value: str) -> str:
        """How a filter in force reads on its chip (a unit by name, a coded choice by its label)."""
        if name in ("unit", "phase"):
            pk = parse_id(value)
            row = (Unit if name == "unit" else Phase).objects.filter(pk=pk).first() if pk is not None else None
            return str(getattr(row, "name", row)) if row else value
        choices = getattr(self.fields[name], "choices", None)
        return dict((str(k), v) for k, v in choices).get(value, value) if choices else value
