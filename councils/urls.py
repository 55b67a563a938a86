from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/open/", views.session_open, name="session_open"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/minutes/", views.minutes_issue, name="minutes_issue"),
    path("sessions/<int:pk>/draft-decision/", views.draft_decision, name="draft_decision"),
    path("sessions/<int:pk>/evaluation/", views.evaluation_grid, name="evaluation_grid"),
    path("sessions/<int:pk>/evaluation/save/", views.evaluation_save, name="evaluation_save"),
    path("sessions/<int:pk>/evaluation/submit/", views.evaluation_submit, name="evaluation_submit"),
    path("sessions/<int:pk>/evaluation/results/", views.evaluation_results, name="evaluation_results"),
    path("items/<int:pk>/evaluation/<str:action>/", views.evaluation_item, name="evaluation_item"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
]
