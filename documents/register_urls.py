"""The register of outgoing documents (sổ văn bản đi), under /documents/."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.entry_new, name="entry_new"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/<str:fmt>/", views.entry_download, name="download"),
]
