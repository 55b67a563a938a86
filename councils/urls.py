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
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
]
