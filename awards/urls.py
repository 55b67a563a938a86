from django.urls import path

from .commendations import views as cv
from .pledges import views

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/unregistered/", views.unregistered, name="unregistered"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/submit/", views.pledge_submit, name="pledge_submit"),
    path("pledges/<int:pk>/decide/", views.pledge_decide, name="pledge_decide"),
    path("pledges/<int:pk>/comment/", views.pledge_comment, name="pledge_comment"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/rubric/", views.rubric_edit, name="rubric_edit"),
    path("rounds/<int:pk>/open/", views.round_transition, {"action": "open"}, name="round_open"),
    path("rounds/<int:pk>/close/", views.round_transition, {"action": "close"}, name="round_close"),
    path("rounds/<int:pk>/self/<int:pledge_pk>/", views.self_assessment, name="self_assessment"),
    path("rounds/<int:pk>/score/", views.score_grid, name="score_grid"),
    path("rounds/<int:pk>/score/save/", views.score_save, name="score_save"),
    path("rounds/<int:pk>/score/submit/", views.score_submit, name="score_submit"),
    path("rounds/<int:pk>/score/conflict/", views.conflict_declare, name="conflict_declare"),
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path("rounds/<int:pk>/praise/", views.praise, name="praise"),
    path("rounds/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("annual/", views.annual, name="annual"),
    path("contents/", views.content_list, name="content_list"),
    path("contents/new/", views.content_edit, name="content_create"),
    path("contents/<int:pk>/edit/", views.content_edit, name="content_edit"),
]

urlpatterns += [
    path("1510/", cv.dashboard_1510, name="dashboard_1510"),
    path("1510/report/", cv.report_1510, name="report_1510"),
    path("commendations/", cv.proposal_list, name="proposal_list"),
    path("commendations/new/", cv.proposal_create, name="proposal_create"),
    path("commendations/receive/", cv.proposal_receive, name="proposal_receive"),
    path("commendations/<int:pk>/", cv.proposal_detail, name="proposal_detail"),
    path("commendations/<int:pk>/subjects/", cv.subject_add, name="subject_add"),
    path("commendations/<int:pk>/subjects/<int:subject_pk>/remove/", cv.subject_remove, name="subject_remove"),
    path("commendations/<int:pk>/subjects/<int:subject_pk>/revoke/", cv.subject_revoke, name="subject_revoke"),
    path("commendations/<int:pk>/submit/", cv.proposal_submit, name="proposal_submit"),
    path("commendations/<int:pk>/comment/", cv.proposal_comment, name="proposal_comment"),
    path("commendations/<int:pk>/decide/", cv.proposal_decide, name="proposal_decide"),
    path("commendations/<int:pk>/report/<str:kind>/", cv.decision_report, name="decision_report"),
]
