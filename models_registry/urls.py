from django.urls import path

from . import views, views_coverage

app_name = "models_registry"
urlpatterns = [
    path("", views.model_list_view, name="list"),
    path("export.xlsx", views.model_export_view, name="export"),
    path("bulk/", views.bulk_decide_view, name="bulk"),
    path("new/", views.model_create_view, name="create"),
    path("similar/", views.similar_view, name="similar"),
    path("stats/", views.stats_view, name="stats"),
    path("coverage/", views_coverage.coverage_view, name="coverage"),
    path("coverage/gaps/", views_coverage.gaps_view, name="coverage_gaps"),
    path("coverage/follow-up/", views_coverage.followup_view, name="coverage_followup"),
    path("spread/", views_coverage.spread_view, name="spread"),
    path("deadlines/", views.deadline_view, name="deadlines"),
    path("files/<int:pk>/", views.attachment_view, name="attachment"),
    path("files/<int:pk>/thumb/", views.attachment_view, {"variant": "thumb"}, name="attachment_thumb"),
    path("<int:pk>/", views.model_detail_view, name="detail"),
    path("<int:pk>/edit/", views.model_edit_view, name="edit"),
    path("<int:pk>/evaluate/", views.model_evaluate_view, name="evaluate"),
    path("<int:pk>/reports/new/", views.report_create_view, name="report_create"),
    path("reports/<int:pk>/edit/", views.report_edit_view, name="report_edit"),
    path("<int:pk>/delete/", views.model_delete_view, name="delete"),
    path("<int:pk>/continue/", views.model_continue_view, name="continue"),
    path("<int:pk>/extension/", views.extension_request_view, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide_view, name="extension_decide"),
    path("<int:pk>/<slug:action>/", views.model_transition_view, name="transition"),
]
