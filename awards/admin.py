from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CommendationProposal, Pledge, PledgeContent, ReviewRound


@admin.register(PledgeContent)
class PledgeContentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "phase", "order", "is_active"]
    list_filter = ["phase", "is_active"]


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "content", "status"]
    list_filter = ["year", "status"]
    raw_id_fields = ["person", "unit", "created_by"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "chair"]
    list_filter = ["year", "status"]
    raw_id_fields = ["unit", "chair"]


@admin.register(CommendationProposal)
class CommendationProposalAdmin(SimpleHistoryAdmin):
    list_display = ["result", "year", "status"]
    raw_id_fields = ["result", "unit", "proposed_by"]
