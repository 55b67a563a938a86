from django.urls import path

from . import import_views

app_name = "imports"
urlpatterns = [
    path("<str:kind>/", import_views.upload, name="upload"),
    path("<str:kind>/template.xlsx", import_views.template, name="template"),
    path("batch/<int:pk>/", import_views.preview, name="preview"),
]
