"""`{% if user|may_open:"evaluations:figures" %}`: show a link only to who may open it."""

from django import template
from django.contrib.auth.models import User

from civility.orgs import access

register = template.Library()


@register.filter
def may_open(user: User, target: str) -> bool:
    return access.may_open(user, str(target))
