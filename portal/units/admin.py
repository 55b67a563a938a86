from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Phase, Unit, UnitChange, UnitKind


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "level", "models_target"]
    list_editable = ["models_target"]  # the plan's target per level (Kế hoạch 54-KH/BDVTU)


@admin.register(Unit)
class UnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Unit)
    list_display = ["name", "code", "kind", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["kind", "is_active"]


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ["effective_date", "kind", "unit", "detail", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["unit"]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_year", "end_year", "is_current"]
