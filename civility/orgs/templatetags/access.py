"""`{% if user|may_open:"evaluations:figures" %}`: show a link only to who may open it."""

from django import template

from civility.orgs import access
from civility.orgs.scopes import Reader

register = template.Library()


@register.filter
def may_open(user: Reader, target: str) -> bool:
    return access.may_open(user, str(target))
