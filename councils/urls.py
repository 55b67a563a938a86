from django.urls import path

from .views import running, setup

app_name = "councils"
urlpatterns = [
    path("", running.index, name="index"),
    path("new/", setup.council_form, name="council_create"),
    path("<int:pk>/", running.council_detail, name="council_detail"),
    path("<int:pk>/edit/", setup.council_form, name="council_update"),
    path("<int:pk>/members/new/", setup.member_form, name="member_add"),
    path("members/<int:seat_pk>/edit/", setup.member_form, name="member_update"),
    path("members/<int:seat_pk>/delete/", setup.member_delete, name="member_delete"),
    path("<int:pk>/sessions/new/", setup.session_create, name="session_create"),
    path("sessions/<int:pk>/", running.session_detail, name="session_detail"),
    path("sessions/<int:pk>/delete/", setup.session_delete, name="session_delete"),
    path("sessions/<int:pk>/items/new/", setup.item_add, name="item_add"),
    path("sessions/<int:pk>/evaluators/", setup.evaluators, name="evaluators"),
    path("evaluators/<int:pk>/delete/", setup.evaluator_remove, name="evaluator_remove"),
    path("sessions/<int:pk>/open/", running.session_open, name="session_open"),
    path("sessions/<int:pk>/attendance/", running.attendance, name="attendance"),
    path("sessions/<int:pk>/minutes/", running.minutes_issue, name="minutes_issue"),
    path("sessions/<int:pk>/draft-decision/", running.draft_decision, name="draft_decision"),
    path("sessions/<int:pk>/draft-decision/<int:proposal_pk>/issue/", running.decision_issue,
         name="decision_issue"),
    path("sessions/<int:pk>/evaluation/", running.evaluation_grid, name="evaluation_grid"),
    path("sessions/<int:pk>/evaluation/save/", running.evaluation_save, name="evaluation_save"),
    path("sessions/<int:pk>/evaluation/submit/", running.evaluation_submit, name="evaluation_submit"),
    path("sessions/<int:pk>/evaluation/results/", running.evaluation_results, name="evaluation_results"),
    path("items/<int:pk>/remove/", setup.item_remove, name="item_remove"),
    path("items/<int:pk>/evaluation/<str:action>/", running.evaluation_item, name="evaluation_item"),
    path("items/<int:pk>/<str:action>/", running.item_action, name="item_action"),
]
