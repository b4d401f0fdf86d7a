from django import forms

from kakehashi.core.widgets import FastSelect


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "すべて"), ("a", "A&B"), ("b", "<b>")], required=False)
    grouped = forms.ChoiceField(choices=[("x", "X"), ("東北", [("y", "Y"), ("z", "Z")])], required=False)


def _both(form: forms.Form, name: str) -> tuple[str, str]:
    django_html = str(form[name])
    form.fields[name].widget = FastSelect(choices=form.fields[name].choices, attrs=form.fields[name].widget.attrs)
    return django_html, str(form[name])


def _normalise(html: str) -> str:
    return "".join(html.split())


def test_renders_the_markup_django_renders():
    for data in ({}, {"plain": "a", "grouped": "z"}):
        for name in ("plain", "grouped"):
            django_html, fast_html = _both(Sample(data), name)
            assert _normalise(fast_html) == _normalise(django_html)


def test_escapes_labels_and_marks_the_selected_value():
    _django, fast = _both(Sample({"plain": "b"}), "plain")
    assert "&lt;b&gt;" in fast
    assert "<b>" not in fast
    assert 'value="b" selected' in fast
    assert "A&amp;B" in fast
