"""Form widgets that render without the template engine, for forms shown on every list page.

Django renders each `<option>` of a `Select` through a template, which costs several milliseconds for a
list of a few hundred municipalities or people — a large share of a list page's time under load.
`FastSelect` builds the same markup in Python from the same `optgroups()` data, so behaviour (selected
values, attributes, option groups) is Django's own.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], mark_safe(flatatt(option["attrs"])), option["label"]) for option in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), mark_safe("".join(parts))
        )


def use_fast_selects(form: forms.Form) -> None:
    """Swap every plain `Select` of `form` for a `FastSelect` (call at the end of `__init__`)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            fast = FastSelect(attrs=field.widget.attrs)
            fast.choices = field.choices
            fast.is_required = field.widget.is_required
            field.widget = fast
