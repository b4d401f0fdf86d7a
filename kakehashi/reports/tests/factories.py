import factory

from kakehashi.reports.models import Report


class ReportFactory(factory.django.DjangoModelFactory):
    """A queued monthly XLSX report (build it with `report_build` or set status/file yourself)."""

    class Meta:
        model = Report

    programme = factory.SubFactory("kakehashi.outreach.tests.factories.ProgrammeFactory")
    period_key = "2026-04"
    period_kind = "month"
    format = "xlsx"
    progress_total = 7

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        from kakehashi.reports.periods import parse_period

        period = parse_period(kwargs["period_key"])
        kwargs.update(period_kind=period.kind, period_start=period.start, period_end=period.end)
        return kwargs
