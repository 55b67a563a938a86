from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Đơn vị và vai trò", {"fields": ("full_name", "unit", "position", "phone", "roles")}),)
    list_display = ["username", "full_name", "unit", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["roles", "groups", "user_permissions"]


admin.site.register(Role)
