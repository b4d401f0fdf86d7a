"""The form that asks for a report: a period of the current programme and one or both formats."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import PeriodKind, ReportFormat
from .periods import PeriodError, parse_period, periods_for_programme


class ReportRequestForm(forms.Form):
    period = forms.ChoiceField(label=_("対象期間"))
    formats = forms.MultipleChoiceField(
        label=_("形式"),
        choices=ReportFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ReportFormat.XLSX, ReportFormat.PDF],
        help_text=_("両方を選ぶと、同じ内容の Excel と PDF を作成します。"),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        periods = periods_for_programme(programme.start_date, programme.end_date, today=timezone.localdate())
        groups = []
        for kind, title in PeriodKind.choices:
            options = [(p.key, f"{p.label}（{p.range_label}）") for p in periods if p.kind == kind]
            if options:
                groups.append((title, options))
        self.fields["period"].choices = groups
        self.fields["period"].help_text = _(
            "四半期は年度（4月始まり）の四半期です。第3四半期＝10〜12月、第4四半期＝翌年1〜3月。"
        )
        months = [p for p in periods if p.kind == PeriodKind.MONTH]
        if months and not self.is_bound:
            # The last complete month is what the prefecture usually asks for.
            today = timezone.localdate()
            complete = [p for p in months if p.end < today]
            self.fields["period"].initial = (complete or months)[0].key

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
