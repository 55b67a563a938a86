"""Public pages (no login): verification of a commendation certificate's code."""

app_name = "verify"
urlpatterns: list = []
