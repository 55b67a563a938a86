app_name = "models_registry"
urlpatterns: list = []
