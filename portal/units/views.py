from django.contrib.auth.decorators import login_required
from django.views.generic import DetailView, ListView

from portal.permissions import RoleRequiredMixin


class UnitListView(RoleRequiredMixin, ListView):
    template_name = "units/unit_list.html"


class UnitDetailView(RoleRequiredMixin, DetailView):
    template_name = "units/unit_detail.html"


@login_required
def unit_create_view(request):
    raise NotImplementedError


unit_merge_view = unit_export = unit_edit_view = unit_move_view = unit_deactivate_view = unit_create_view
