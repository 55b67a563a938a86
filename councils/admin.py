from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Council,
    CouncilMember,
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


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["council", "date", "status"]
    raw_id_fields = ["council", "minutes", "created_by"]
