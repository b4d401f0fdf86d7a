"""plan_visits --programme CODE [--seconds N] [--json]: build a new plan version now and print its quality report."""

import json

from django.core.management.base import BaseCommand, CommandError

from kakehashi.outreach.models import Programme
from kakehashi.planning.services import plan_create, plan_run


class Command(BaseCommand):
    help = "訪問計画の新しい版をこの場で計算し、品質レポートを表示します（画面の「計画を作成」と同じ処理）。"

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="事業コード")
        parser.add_argument("--seconds", type=float, default=None, help="計算時間の上限（秒）。省略時は設定の値")
        parser.add_argument("--json", action="store_true", help="品質レポートを JSON で出力")

    def handle(self, *args, programme: str, seconds: float | None, json: bool, **options):
        found = Programme.objects.filter(code=programme).first()
        if found is None:
            raise CommandError(f"事業コード {programme!r} の事業がありません。")
        if seconds is not None and seconds <= 0:
            raise CommandError("--seconds は正の数で指定してください。")
        plan = plan_create(actor=None, programme=found, seconds=seconds, enqueue=False)
        try:
            plan_run(plan=plan)
        except Exception as error:
            raise CommandError(f"計画を計算できませんでした: {error}") from error
        report = {"programme": found.code, "plan_version": plan.version, "plan_id": plan.pk, **plan.quality_report}
        if json:
            self.stdout.write(_dumps(report))
            return
        self.stdout.write(f"{found.name} 第{plan.version}版")
        for key in (
            "target",
            "selected",
            "designated_total",
            "designated_selected",
            "max_quota_deviation",
            "travel_km",
            "travel_hours",
            "solve_seconds",
        ):
            self.stdout.write(f"  {key}: {report.get(key)}")
        if report.get("baseline"):
            self.stdout.write(f"  baseline: {report['baseline']}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
