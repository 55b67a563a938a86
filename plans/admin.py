from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarFeed,
    FollowUp,
    Inspection,
    Notification,
    Plan,
    PlanItem,
    ReminderDelivery,
    ReminderSchedule,
)


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(SimpleHistoryAdmin):
    """Administrators tune when each kind of deadline is reminded."""

    list_display = ["kind", "label", "is_active", "days_before", "remind_overdue", "repeat_overdue_days",
                    "max_overdue_days", "escalate_after_days"]
    list_editable = ["is_active", "repeat_overdue_days", "escalate_after_days"]


class PlanItemInline(admin.StackedInline):
    model = PlanItem
    extra = 0
    filter_horizontal = ["responsible_units", "responsible_roles", "assignees"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "unit", "issued_on"]
    search_fields = ["number", "search_folded"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [PlanItemInline]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "inspected_on"]
    raw_id_fields = ["unit", "plan", "created_by"]
    filter_horizontal = ["inspected_units"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["content", "unit", "due_date", "status"]
    raw_id_fields = ["unit", "inspection", "assignee"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status"]
    raw_id_fields = ["user"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = ["deadline_key", "user", "step", "kind", "due_at", "created_at"]
    search_fields = ["deadline_key"]
    raw_id_fields = ["user", "notification"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]
