"""`{% may "assistance.apply" as can_apply %}`: whether the page's actor holds a permission
anywhere, so the module's menu shows only what the role may open."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, permission: str) -> bool:
    actor = context.get("actor")
    return bool(actor is not None and actor.has(permission))
