"""Form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import ValidationError


class ListFilterForm(forms.Form):
    """The filters of a list page (`templates/includes/list_filters.html`). Every field is optional."""

    @property
    def is_filtered(self) -> bool:
        """Anything chosen — the search, a filter or a sort other than the default. The collapsible filter panel
        opens then, so the choice that shaped the list stays in sight."""
        return bool(self.is_bound and any(self.cleaned_data.values()))


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
