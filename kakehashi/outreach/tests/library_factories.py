"""Builders for the hearing-manual and content-library tests: a small manual, published versions, counted visits."""

import copy
import datetime

import factory

from kakehashi.outreach.models import ContentItem, HearingManual, HearingManualVersion, Programme, Visit
from kakehashi.outreach.services.manuals import manual_create, manual_publish
from kakehashi.reference.models import CodeItem

# Every kind of question, a condition and a code list: small enough to reason about in a test.
DEFINITION: dict = {
    "sections": [
        {
            "key": "s1",
            "title": "業務の現状",
            "help": "現状を聞きます。",
            "questions": [
                {
                    "key": "uses_cloud",
                    "kind": "single",
                    "label": "クラウドを使っていますか",
                    "help": "メールだけなら「いいえ」。",
                    "required": True,
                    "options": [{"value": "yes", "label": "はい"}, {"value": "no", "label": "いいえ"}],
                },
                {
                    "key": "cloud_name",
                    "kind": "single",
                    "label": "どのクラウドですか",
                    "help": "",
                    "required": True,
                    "show_if": {"question": "uses_cloud", "in": ["yes"]},
                    "options": [
                        {"value": "m365", "label": "Microsoft 365"},
                        {"value": "gws", "label": "Google Workspace"},
                        {"value": "other", "label": "その他"},
                    ],
                },
                {
                    "key": "tools",
                    "kind": "multi",
                    "label": "使っている道具",
                    "help": "",
                    "required": False,
                    "options": [
                        {"value": "email", "label": "メール"},
                        {"value": "chat", "label": "チャット"},
                        {"value": "erp", "label": "基幹システム"},
                    ],
                },
            ],
        },
        {
            "key": "s2",
            "title": "関心",
            "help": "",
            "questions": [
                {
                    "key": "interest",
                    "kind": "scale",
                    "label": "経営者のDXへの関心",
                    "help": "発言から判断します。",
                    "required": False,
                    "scale": {"min": 1, "max": 5, "min_label": "関心なし", "max_label": "強い関心"},
                },
                {
                    "key": "it_staff",
                    "kind": "number",
                    "label": "IT担当者数",
                    "help": "",
                    "required": False,
                    "number": {"min": 0, "max": 100, "unit": "人"},
                },
                {"key": "note", "kind": "text", "label": "困りごと", "help": "", "required": False},
                {
                    "key": "top_challenge",
                    "kind": "single",
                    "label": "最優先の課題",
                    "help": "",
                    "required": False,
                    "code_list": "challenge",
                },
            ],
        },
    ]
}


def definition() -> dict:
    return copy.deepcopy(DEFINITION)


def manual_with_version(
    programme: Programme, *, valid_from: datetime.date | None = None, definition_: dict | None = None
) -> tuple[HearingManual, HearingManualVersion]:
    """A manual of `programme` with its first version published (valid from the programme's start)."""
    manual = manual_create(
        actor=None, programme=programme, name="テスト用マニュアル", definition=definition_ or definition()
    )
    version = manual_publish(actor=None, manual=manual, valid_from=valid_from or programme.start_date)
    manual.refresh_from_db()
    return manual, version


def counted_visit(programme: Programme, *, status: str = "submitted", **kwargs) -> Visit:
    """A visit that counts in statistics (submitted, with company, date and format)."""
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.outreach.tests.factories import VisitFactory

    visit_format, _ = CodeItem.objects.get_or_create(list="visit_format", code="visit", defaults={"label_ja": "訪問"})
    kwargs.setdefault("visit_date", programme.start_date + datetime.timedelta(days=10))
    return VisitFactory(
        programme=programme, status=status, company=CompanyFactory(), visit_format=visit_format, **kwargs
    )


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem
        skip_postgeneration_save = True

    programme = factory.SubFactory("kakehashi.outreach.tests.factories.ProgrammeFactory")
    title = factory.Sequence(lambda n: f"資料{n}")
    description = "説明"
    kind = "interest"
    audience = "all"
    active = True

    @factory.post_generation
    def challenges(self, create, extracted, **kwargs):
        if create and extracted:
            self.challenges.set(extracted)
