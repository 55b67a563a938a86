from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts.urls import auth_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("viec-can-lam/", views.needs_me, name="needs_me"),
    path("tim-kiem/", views.search, name="search"),
    *auth_urlpatterns,
    path("accounts/", include("portal.accounts.urls")),
    path("units/", include("portal.units.urls")),
    path("imports/", include("portal.import_urls")),
    path("reports/", include("documents.urls")),
    path("documents/", include("documents.register_urls")),
    path("models/", include("models_registry.urls")),
    path("awards/", include("awards.urls")),
    path("plans/", include("plans.urls")),
    path("councils/", include("councils.urls")),
    path("lay-y-kien/", include("councils.urls_public")),
    path("showcase/", include("models_registry.urls_public")),
    path("verify/", include("awards.urls_public")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
