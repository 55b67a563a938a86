from django.urls import path

from . import phase_views, views

app_name = "units"

urlpatterns = [
    path("", views.UnitListView.as_view(), name="list"),
    path("new/", views.unit_create_view, name="create"),
    path("merge/", views.unit_merge_view, name="merge"),
    path("export.xlsx", views.unit_export, name="export"),
    path("pick/", views.unit_pick, name="pick"),
    path("members/move/", views.members_move_view, name="members_move"),
    path("changes/<int:pk>/cancel/", views.planned_change_cancel_view, name="change_cancel"),
    path("phases/", phase_views.phase_list, name="phases"),
    path("phases/new/", phase_views.phase_edit, name="phase_create"),
    path("phases/<int:pk>/", phase_views.phase_edit, name="phase_edit"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.unit_edit_view, name="edit"),
    path("<int:pk>/move/", views.unit_move_view, name="move"),
    path("<int:pk>/deactivate/", views.unit_deactivate_view, name="deactivate"),
]
