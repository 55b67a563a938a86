"""The register of outgoing documents (sổ văn bản đi), under /documents/."""

from django.urls import path

from . import signature_views, views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.entry_new, name="entry_new"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/sign/", signature_views.entry_sign, name="sign"),
    path("<int:pk>/signed/upload/", signature_views.entry_upload_signed, name="upload_signed"),
    path("<int:pk>/signed/", signature_views.entry_download_signed, name="download_signed"),
    path("<int:pk>/<str:fmt>/", views.entry_download, name="download"),
]
