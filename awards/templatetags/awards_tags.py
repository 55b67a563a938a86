"""Which awards tabs a person may open, asked of the permission layer (no link that answers 403)."""

from django import template

from portal import permissions as perms

from ..pledges import workflow as wf

register = template.Library()


@register.simple_tag(takes_context=True)
def awards_tabs(context) -> dict[str, bool]:
    user = context["request"].user
    reader = perms.has_role(user, perms.LEADER, perms.CELL, perms.UNION)
    annual = user.unit_id is not None and (
        wf.is_union_member_of(user, user.unit) or perms.is_admin(user) or perms.has_role(user, perms.CELL, perms.LEADER)
    )
    return {"annual": annual, "commendations": reader, "dashboard": reader}
