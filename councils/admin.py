from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    Council,
    CouncilMember,
    Evaluator,
    FormSetting,
    Holiday,
    PassRule,
    Rubric,
    RubricCriterion,
    Session,
)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 1
    raw_id_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "level", "term_start", "term_end"]
    list_filter = ["level"]
    raw_id_fields = ["unit"]
    inlines = [CouncilMemberInline]


@admin.register(CouncilMember)
class CouncilMemberAdmin(SimpleHistoryAdmin):
    list_display = ["user", "council", "role"]
    raw_id_fields = ["user", "council"]


@admin.register(PassRule)
class PassRuleAdmin(SimpleHistoryAdmin):
    list_display = ["form", "level", "base", "num", "den", "strict"]
    list_editable = ["base", "num", "den", "strict"]


@admin.register(FormSetting)
class FormSettingAdmin(SimpleHistoryAdmin):
    list_display = ["form", "public_consultation", "consultation_working_days"]
    list_editable = ["public_consultation", "consultation_working_days"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 1


@admin.register(Rubric)
class RubricAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phase"]
    inlines = [RubricCriterionInline]


class AgendaItemInline(admin.StackedInline):
    """The agenda as the secretary prepares it (votes, tallies and outcomes are not edited here)."""

    model = AgendaItem
    extra = 0
    raw_id_fields = ["model", "subject"]
    fields = ["order", "kind", "model", "subject", "title", "achievements", "form", "method"]


class EvaluatorInline(admin.TabularInline):
    model = Evaluator
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "is_expert", "rubric"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["council", "date", "status"]
    raw_id_fields = ["council", "minutes", "created_by"]
    readonly_fields = ["status", "minutes"]
    inlines = [AgendaItemInline, EvaluatorInline]
