from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, DvkModel, ModelEvent, ProgressReport, RegistrationDeadline


class EventInline(admin.TabularInline):
    model = ModelEvent
    extra = 0
    readonly_fields = ("action", "from_state", "to_state", "actor", "at", "comment", "is_override")
    can_delete = False


@admin.register(DvkModel)
class DvkModelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "year", "field", "state", "recognition_level", "is_public")
    list_filter = ("state", "field", "year", "recognition_level", "is_public")
    search_fields = ("name_folded",)
    raw_id_fields = ("unit", "continues", "replicated_from", "recognised_by", "created_by")
    readonly_fields = ("state", "version")
    inlines = [EventInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("model", "period_start", "period_end", "people_reached", "beneficiaries")
    raw_id_fields = ("model", "created_by")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "size", "model", "uploaded_at")
    raw_id_fields = ("model", "report", "uploaded_by")


@admin.register(RegistrationDeadline)
class RegistrationDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "date")
    raw_id_fields = ("unit", "set_by")
