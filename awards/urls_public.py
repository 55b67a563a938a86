"""Public pages (no login): verification of a commendation certificate's code."""

from django.urls import path

from .commendations import views as commendation_views

app_name = "verify"
urlpatterns = [
    path("<str:code>/", commendation_views.verify, name="code"),
]
