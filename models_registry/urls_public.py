"""Public pages (no login): the showcase of recognised models."""

app_name = "showcase"
urlpatterns: list = []
