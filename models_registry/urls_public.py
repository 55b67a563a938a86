"""Public pages (no login): the showcase of recognised models."""

from django.urls import path

from . import views_public

app_name = "showcase"
urlpatterns = [
    path("", views_public.showcase_list_view, name="list"),
    path("photos/<int:pk>/", views_public.showcase_photo_view, name="photo"),
    path("photos/<int:pk>/thumb/", views_public.showcase_photo_view, {"variant": "thumb"}, name="photo_thumb"),
    path("<str:key>/", views_public.showcase_detail_view, name="detail"),
]
