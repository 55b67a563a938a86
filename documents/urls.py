from django.urls import path

from . import views as report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("new/<str:kind>/", report_views.report_new, name="new"),
    path("<int:pk>/", report_views.report_detail, name="detail"),
    path("<int:pk>/status/", report_views.report_status, name="status"),
    path("<int:pk>/download/", report_views.report_download, name="download"),
    path("<int:pk>/download/docx/", report_views.report_download_docx, name="download_docx"),
    path("<int:pk>/issue/", report_views.report_issue, name="issue"),
    path("<int:pk>/retry/", report_views.report_retry, name="retry"),
]
