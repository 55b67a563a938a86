"""Public pages (no login): candidates published for comment, and the feedback form."""

from django.urls import path

from .views import running as views

app_name = "councils_public"
urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
]
