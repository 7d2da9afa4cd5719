"""``{{ amount|money }}``: an amount of đồng written one way everywhere (``portal.text.money``)."""

from django import template

from portal.text import money as _money

register = template.Library()


@register.filter
def money(amount):
    return _money(amount)
