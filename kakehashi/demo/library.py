"""The demo's library: the default hearing manual (two published versions) and the content library.

Runs before the visits step, so visits can be recorded with the manual version valid on their date and shown
content. Idempotent: a programme that already has a manual or content keeps it.
"""

import copy
import datetime

from kakehashi.accounts.models import User
from kakehashi.outreach.choices import ContentAudience, ContentKind
from kakehashi.outreach.models import ContentItem, HearingManual, Programme
from kakehashi.outreach.services.content import content_create
from kakehashi.outreach.services.manuals import manual_create, manual_publish, manual_question_save
from kakehashi.reference.models import CodeItem

MANUAL_NAME = "DXコミュニケート ヒアリングマニュアル"

YES_NO_UNKNOWN = [
    {"value": "yes", "label": "はい"},
    {"value": "no", "label": "いいえ"},
    {"value": "unknown", "label": "分からない"},
]

# The default manual: written for a communicator who hears a small company's owner for 30–60 minutes.
DEFAULT_MANUAL: dict = {
    "sections": [
        {
            "key": "profile",
            "title": "企業概要",
            "help": "訪問報告の（a）で確認した基本情報に加えて、ITを誰が担っているかを聞きます。",
            "questions": [
                {
                    "key": "decision_maker",
                    "kind": "single",
                    "label": "IT投資を決めるのはどなたですか",
                    "help": "最終的に「買う・やめる」を決める人です。面談相手と違っていても構いません。",
                    "required": True,
                    "options": [
                        {"value": "owner", "label": "経営者本人"},
                        {"value": "successor", "label": "後継者・役員"},
                        {"value": "admin_staff", "label": "総務・経理などの担当者"},
                        {"value": "other", "label": "その他"},
                    ],
                },
                {
                    "key": "it_staff_count",
                    "kind": "number",
                    "label": "IT担当者の人数（兼務を含む）",
                    "help": "パソコンやネットワークの面倒を見ている人を兼務も含めて数えます。いなければ 0。",
                    "required": True,
                    "number": {"min": 0, "max": 1000, "unit": "人"},
                },
            ],
        },
        {
            "key": "current_state",
            "title": "業務の現状とデジタル化",
            "help": "「何を使っているか」より「どの業務が紙や手作業か」を具体的に聞くと話が広がります。",
            "questions": [
                {
                    "key": "digital_stage",
                    "kind": "single",
                    "label": "デジタル化の段階",
                    "help": (
                        "中小企業白書の4段階です。迷ったら低い方を選びます"
                        "（例：Excelはあるが紙の台帳が正本なら段階1）。"
                    ),
                    "required": True,
                    "code_list": "digital_stage",
                },
                {
                    "key": "accounting_software",
                    "kind": "single",
                    "label": "会計ソフトを使っていますか",
                    "help": "税理士事務所に記帳を任せている場合は「いいえ」です。",
                    "required": True,
                    "options": YES_NO_UNKNOWN,
                },
                {
                    "key": "accounting_product",
                    "kind": "single",
                    "label": "どの会計ソフトですか",
                    "help": "クラウド型かどうかが分かれば十分です。製品名が出ないときは「その他」。",
                    "required": False,
                    "show_if": {"question": "accounting_software", "in": ["yes"]},
                    "options": [
                        {"value": "yayoi", "label": "弥生会計"},
                        {"value": "freee", "label": "freee会計"},
                        {"value": "moneyforward", "label": "マネーフォワード クラウド会計"},
                        {"value": "bugyo", "label": "勘定奉行"},
                        {"value": "pca", "label": "PCA会計"},
                        {"value": "other", "label": "その他"},
                    ],
                },
                {
                    "key": "tools_in_use",
                    "kind": "multi",
                    "label": "業務で使っている道具",
                    "help": "会社として使っているものに印を付けます（個人のスマートフォンだけの利用は除きます）。",
                    "required": False,
                    "options": [
                        {"value": "email", "label": "メール"},
                        {"value": "spreadsheet", "label": "表計算（Excelなど）"},
                        {"value": "groupware", "label": "グループウェア・チャット"},
                        {"value": "cloud_storage", "label": "クラウドストレージ"},
                        {"value": "sales_inventory", "label": "販売・在庫管理システム"},
                        {"value": "production_system", "label": "生産管理システム"},
                        {"value": "ec_booking", "label": "ECサイト・ネット予約"},
                        {"value": "cashless", "label": "キャッシュレス決済"},
                    ],
                },
                {
                    "key": "paper_fax_orders",
                    "kind": "single",
                    "label": "受発注は主に紙やFAXですか",
                    "help": "取引先の都合で紙が残る場合も「はい」。取引慣行の障壁として後で聞きます。",
                    "required": False,
                    "options": YES_NO_UNKNOWN,
                },
            ],
        },
        {
            "key": "challenges",
            "title": "課題と障壁",
            "help": "訪問報告の（c）で選ぶ課題カテゴリ・障壁の中から、経営者が一番重く見ているものを確かめます。",
            "questions": [
                {
                    "key": "top_challenge",
                    "kind": "single",
                    "label": "最も優先して取り組みたい課題",
                    "help": "「今いちばん困っていることは？」と聞き、答えに近いカテゴリを1つ選びます。",
                    "required": True,
                    "code_list": "challenge",
                },
                {
                    "key": "top_barrier",
                    "kind": "single",
                    "label": "取組を妨げている一番の要因",
                    "help": "予算や人の話が出たら、その前に「何から始めるか」が決まっているかも確かめます。",
                    "required": False,
                    "code_list": "barrier",
                },
                {
                    "key": "challenge_detail",
                    "kind": "text",
                    "label": "困りごとの具体例",
                    "help": "「受注をFAXで受けて手入力している」のように、業務の場面と手間（時間・人）で書きます。",
                    "required": False,
                },
            ],
        },
        {
            "key": "next_steps",
            "title": "関心と次のステップ",
            "help": "最後に関心の強さと次の一歩を確かめ、紹介するコンテンツや窓口につなげます。",
            "questions": [
                {
                    "key": "ceo_dx_interest",
                    "kind": "scale",
                    "label": "経営者のDXへの関心",
                    "help": "面談中の発言から判断します。具体的な質問や相談があれば 4 以上が目安です。",
                    "required": True,
                    "scale": {"min": 1, "max": 5, "min_label": "関心なし", "max_label": "強い関心"},
                },
                {
                    "key": "target_stage",
                    "kind": "single",
                    "label": "1年後に目指すデジタル化の段階",
                    "help": "現在の段階と同じなら、そのまま同じ段階を選びます。",
                    "required": False,
                    "code_list": "digital_stage",
                },
                {
                    "key": "investment_plan",
                    "kind": "single",
                    "label": "IT投資の予定",
                    "help": "金額は聞かなくて構いません。",
                    "required": False,
                    "options": [
                        {"value": "this_year", "label": "今年度に予定あり"},
                        {"value": "next_year", "label": "来年度以降に検討"},
                        {"value": "none", "label": "予定なし"},
                        {"value": "unknown", "label": "分からない"},
                    ],
                },
                {
                    "key": "subsidy_known",
                    "kind": "single",
                    "label": "IT導入補助金などの支援制度を知っていますか",
                    "help": "知らない場合は、機構の相談窓口で制度の案内が受けられることを伝えます。",
                    "required": False,
                    "options": YES_NO_UNKNOWN[:2],
                },
                {
                    "key": "subsidy_used",
                    "kind": "single",
                    "label": "支援制度を利用したことがありますか",
                    "help": "",
                    "required": False,
                    "show_if": {"question": "subsidy_known", "in": ["yes"]},
                    "options": YES_NO_UNKNOWN[:2],
                },
                {
                    "key": "seminar_interest",
                    "kind": "single",
                    "label": "セミナー・勉強会への参加意向",
                    "help": "開催予定のセミナーがあれば日程を伝えてから聞きます。",
                    "required": False,
                    "code_list": "interest_level",
                },
            ],
        },
    ]
}

# Version 2, a few months later: a label made clearer, an option retired, help improved, one question added.
V2_CHANGE_NOTE = (
    "経営者の関心の設問名を明確化、会計ソフトの選択肢を整理（PCA会計を「その他」へ）、テレワークの設問を追加"
)
V2_EDITS: list[tuple[str, str, dict]] = [
    ("next_steps", "ceo_dx_interest", {"label": "経営者のDXへの関心度（面談者の印象）"}),
    ("current_state", "accounting_product", {"remove_option": "pca"}),
    (
        "current_state",
        "telework",
        {
            "new": {
                "key": "telework",
                "kind": "single",
                "label": "テレワーク・リモートでの仕事",
                "help": "事務職で在宅勤務や外出先からの業務ができるかを聞きます。",
                "required": False,
                "options": [
                    {"value": "company_wide", "label": "全社で実施"},
                    {"value": "partly", "label": "一部の部署・人で実施"},
                    {"value": "none", "label": "実施していない"},
                ],
            }
        },
    ),
]


def _v2_values(manual: HearingManual, section_key: str, question_key: str, edit: dict) -> tuple[str | None, dict]:
    if "new" in edit:
        return None, edit["new"]
    for section in manual.draft_definition["sections"]:
        for question in section["questions"]:
            if question["key"] == question_key:
                values = copy.deepcopy(question)
                if "remove_option" in edit:
                    values["options"] = [o for o in values["options"] if o["value"] != edit["remove_option"]]
                values.update({k: v for k, v in edit.items() if k != "remove_option"})
                return question_key, values
    raise KeyError(question_key)


def _month_after(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    return datetime.date(date.year + month // 12, month % 12 + 1, 1)


def seed_manual(programme: Programme, actor: User | None) -> HearingManual:
    manual = HearingManual.objects.filter(programme=programme).first()
    if manual is not None:
        return manual
    manual = manual_create(
        actor=actor,
        programme=programme,
        name=MANUAL_NAME,
        description="企業訪問で聞く項目と聞き方の手引きです。紙で使うときはPDFを印刷してください。",
        definition=DEFAULT_MANUAL,
    )
    manual_publish(actor=actor, manual=manual, valid_from=programme.start_date, change_note="初版")
    for section_key, question_key, edit in V2_EDITS:
        key, values = _v2_values(manual, section_key, question_key, edit)
        manual.refresh_from_db()
        manual_question_save(actor=actor, manual=manual, section_key=section_key, question_key=key, values=values)
    manual.refresh_from_db()
    manual_publish(
        actor=actor,
        manual=manual,
        valid_from=_month_after(programme.start_date, 4),
        change_note=V2_CHANGE_NOTE,
        backdate=True,  # the demo's history: v2 has been in force since August
    )
    return manual


# (title, kind, challenge codes, introduction code, audience, url, version, description)
CONTENT: list[tuple[str, str, list[str], str | None, str, str, str, str]] = [
    (
        "やまがた産業支援機構 相談窓口の案内",
        ContentKind.REFERRAL,
        [],
        "foundation_consultation",
        ContentAudience.ALL,
        "",
        "2026年4月版",
        "経営・IT活用・補助金の相談を無料で受け付けています。\n"
        "申込方法：機構のWebサイトの相談申込フォーム、または電話で「DXコミュニケータから紹介を受けた」と伝えてください。"
        "担当のコーディネータから2営業日以内に連絡があります。訪問報告で「機構への相談」に同意した企業は、"
        "コミュニケータから機構へ連絡することもできます。",
    ),
    (
        "メールマガジン登録方法",
        ContentKind.REFERRAL,
        [],
        "mail_magazine",
        ContentAudience.ALL,
        "",
        "2026年4月版",
        "セミナー・補助金・DX事例の情報を月2回お届けします。\n"
        "登録方法：ポータルサイトの「メールマガジン登録」からメールアドレスと会社名を入力し、"
        "届いた確認メールのリンクを押すと完了です。その場で登録する場合は、担当者のスマートフォンで"
        "QRコードを読み取ってもらいます。配信停止はメール末尾のリンクからいつでもできます。",
    ),
    (
        "工業技術センター 技術相談の案内",
        ContentKind.REFERRAL,
        ["production", "iot_equipment"],
        "technology_centre",
        ContentAudience.MANUFACTURING,
        "",
        "2026年度版",
        "製造現場のIoT・センサー活用、試作・評価、設備データの見える化について技術相談を受け付けています。\n"
        "申込方法：相談申込書（PDF）に相談内容を書いてメールまたはFAXで送るか、電話で日程を予約します。"
        "初回相談は無料です。",
    ),
    (
        "クラウド会計導入事例集",
        ContentKind.INTEREST,
        ["accounting_finance", "payment_receivables"],
        "subsidies",
        ContentAudience.SMALL,
        "",
        "第2版",
        "県内の小規模事業者3社がクラウド会計に切り替え、月次決算を10日早めた事例。導入費用とIT導入補助金の使い方も紹介。",
    ),
    (
        "受発注EDI入門",
        ContentKind.INTEREST,
        ["procurement_logistics", "sales_customer"],
        None,
        ContentAudience.ALL,
        "",
        "第1版",
        "FAX・電話の受発注をEDIやWeb受発注に切り替える手順。取引先を巻き込む進め方と、中小企業共通EDIの概要。",
    ),
    (
        "RPA事例集 — 定型作業の自動化",
        ContentKind.INTEREST,
        ["automation_analytics", "admin_hr_payroll"],
        None,
        ContentAudience.ALL,
        "",
        "2026年版",
        "請求書の転記や勤怠集計をRPAで自動化した事例。効果が出やすい業務の見つけ方のチェックリスト付き。",
    ),
    (
        "中小企業の情報セキュリティ5か条",
        ContentKind.INTEREST,
        ["security"],
        None,
        ContentAudience.ALL,
        "",
        "第3版",
        "OS・ソフトの更新、ウイルス対策、パスワードの強化、共有設定の見直し、脅威や手口を知る——の5つを1枚で。",
    ),
    (
        "ペーパーレス・テレワーク はじめの一歩",
        ContentKind.INTEREST,
        ["paperless_telework"],
        None,
        ContentAudience.ALL,
        "",
        "第1版",
        "グループウェアとクラウドストレージで社内の紙を減らす手順。無料で始められるツールの比較表付き。",
    ),
    (
        "製造現場のIoT見える化ガイド",
        ContentKind.INTEREST,
        ["iot_equipment", "production"],
        "technology_centre",
        ContentAudience.MANUFACTURING,
        "",
        "第1版",
        "後付けセンサーで設備の稼働を見える化する方法。工業技術センターの貸出機器の案内を含みます。",
    ),
    (
        "SNS・ECで販路を広げる",
        ContentKind.INTEREST,
        ["sales_customer", "new_business"],
        "seminar",
        ContentAudience.SERVICE,
        "",
        "2026年版",
        "県内の飲食・小売店がSNSとECで新しい顧客を得た事例と、始めるときの注意点。",
    ),
    (
        "勤怠・給与のクラウド化",
        ContentKind.INTEREST,
        ["staffing_attendance", "admin_hr_payroll"],
        None,
        ContentAudience.ALL,
        "",
        "第1版",
        "タイムカードと手計算の給与計算をクラウドに移す手順と、就業規則との合わせ方。",
    ),
    (
        "デジタル人材育成の進め方",
        ContentKind.INTEREST,
        ["digital_talent"],
        "seminar",
        ContentAudience.ALL,
        "",
        "第1版",
        "社内でIT担当を育てるための研修メニューと、県のリスキリング支援制度の紹介。",
    ),
    (
        "DXコミュニケート事業 リーフレット",
        ContentKind.PUBLICITY,
        [],
        None,
        ContentAudience.ALL,
        "",
        "2026年度版",
        "事業の目的と支援の流れを1枚で説明するリーフレット。訪問の最初に渡します。",
    ),
    (
        "ヒアリングの進め方（コミュニケータ向け）",
        ContentKind.MANUAL,
        [],
        None,
        ContentAudience.STAFF,
        "",
        "第2版",
        "初回訪問の30分の流れ、聞き方の例、断られたときの対応。ヒアリングマニュアルと合わせて使います。",
    ),
]


def seed_content(programme: Programme, actor: User | None) -> int:
    if ContentItem.objects.filter(programme=programme).exists():
        return 0
    codes = {(c.list, c.code): c for c in CodeItem.objects.filter(list__in=["challenge", "introduction"])}
    for title, kind, challenges, introduction, audience, url, version, description in CONTENT:
        content_create(
            actor=actor,
            programme=programme,
            values={
                "title": title,
                "description": description,
                "kind": kind,
                "challenges": [codes[("challenge", c)] for c in challenges if ("challenge", c) in codes],
                "introduction": codes.get(("introduction", introduction)) if introduction else None,
                "audience": audience,
                "url": url,
                "version": version,
                "active": True,
            },
        )
    return len(CONTENT)


def seed_library(*, programme: Programme, users: dict[str, User], today: datetime.date) -> dict[str, int]:
    """The default hearing manual (v1 from the programme's start, v2 four months later) and the content library."""
    actor = users.get("manager")
    manual = seed_manual(programme, actor)
    return {"manual_versions": manual.versions.count(), "content_items": seed_content(programme, actor)}


# --- After the visits: the answers and content a season of visits would have recorded --------------------------

DETAILS = [
    "受注をFAXで受けて、事務員が販売管理ソフトに手入力している。月末は残業が続く。",
    "在庫を紙の台帳で管理しており、欠品に気づくのが遅れる。",
    "見積書をExcelで作り、社長の確認が済むまで数日かかる。",
    "勤怠をタイムカードで集計し、給与計算に毎月2日かかっている。",
    "設備の稼働状況が分からず、段取り替えの待ちが多い。",
    "請求書の発行と入金確認を手作業で突き合わせている。",
    "ホームページが古く、問い合わせがほとんど来ない。",
    "パスワードを全員で共有しており、退職者のアカウントが残っている。",
]
INTEREST_SCALE = {"high": (4, 5), "medium": (3, 4), "low": (2, 3), "none": (1, 2)}


def _option_values(question: dict) -> list[str]:
    if question.get("options"):
        return [str(o["value"]) for o in question["options"]]
    return list(
        CodeItem.objects.filter(list=question.get("code_list", ""), active=True)
        .order_by("order", "code")
        .values_list("code", flat=True)
    )


def _demo_value(rng, question: dict, visit, values: dict[str, list[str]]):
    key, options = question["key"], values.get(question["key"], [])
    interest = visit.interest_level.code if visit.interest_level_id else "medium"
    stage = visit.digital_stage.code if visit.digital_stage_id else rng.choice(["1", "1", "2", "2", "3"])
    challenges = [c.code for c in visit.challenges.all()]
    barriers = [b.code for b in visit.barriers.all()]
    if key == "decision_maker":
        return rng.choices(options, [60, 15, 20, 5][: len(options)])[0]
    if key == "it_staff_count":
        return rng.choices([0, 1, 2, 3, 5, 8], [45, 30, 12, 6, 4, 3])[0]
    if key == "digital_stage":
        return stage
    if key in ("accounting_software", "paper_fax_orders", "subsidy_known", "subsidy_used"):
        weights = {"yes": 60, "no": 35, "unknown": 5}
        return rng.choices(options, [weights.get(o, 5) for o in options])[0]
    if key == "tools_in_use":
        return sorted(rng.sample(options, rng.randint(1, min(4, len(options)))), key=options.index)
    if key == "top_challenge":
        return rng.choice(challenges) if challenges else rng.choice(options)
    if key == "top_barrier":
        return rng.choice(barriers) if barriers else (rng.choice(options) if rng.random() < 0.5 else None)
    if key == "challenge_detail":
        return rng.choice(DETAILS) if rng.random() < 0.45 else None
    if key == "ceo_dx_interest":
        return rng.randint(*INTEREST_SCALE.get(interest, (2, 4)))
    if key == "target_stage":
        return str(min(4, int(stage) + rng.choice([0, 1, 1]))) if stage.isdigit() else None
    if key == "seminar_interest":
        return interest if interest in options else None
    if key == "accounting_product" or question.get("kind") == "single":
        return rng.choice(options) if options else None
    return None


def _demo_answers(rng, version, visit, values: dict[str, list[str]]) -> dict:
    from kakehashi.outreach.manuals import condition_met, iter_questions

    answers: dict = {}
    for _section, question in iter_questions(version.definition):
        show_if = question.get("show_if")
        if show_if and not condition_met(show_if, answers.get(show_if.get("question"))):
            continue
        if not question.get("required") and rng.random() < 0.12:
            continue  # not every optional question gets asked
        value = _demo_value(rng, question, visit, values)
        if value is not None:
            answers[question["key"]] = value
    return answers


def seed_library_usage(*, programme: Programme, users: dict[str, User], today: datetime.date) -> dict[str, int]:
    """Hearing answers (in the manual version valid on each visit's date) and the content shown at the demo visits,
    so the manual's statistics and the content usage page tell a story. Once per programme."""
    import random

    from kakehashi.outreach.content import suggest_content
    from kakehashi.outreach.manuals import (
        _code_items,
        code_lists_of,
        display_value,
        iter_questions,
        manual_version_for,
        option_labels,
    )
    from kakehashi.outreach.models import HearingAnswer, Visit
    from kakehashi.outreach.search import visit_search_reindex

    if HearingAnswer.objects.filter(visit__programme=programme).exists():
        return {"answers": 0, "contents_shown": 0}
    rng = random.Random(2026_4)
    visits = list(
        Visit.objects.filter(programme=programme, visit_date__isnull=False)
        .select_related("interest_level", "digital_stage")
        .prefetch_related("challenges", "barriers", "outcomes")
        .order_by("pk")
    )
    versions: dict[datetime.date, object] = {}
    option_cache: dict[int, dict[str, list[str]]] = {}
    label_cache: dict[int, dict[str, dict[str, str]]] = {}
    answers, changed = [], []
    shown_rows, intro_rows = [], []
    Shown, Introduced = Visit.contents_shown.through, Visit.introductions.through
    suggestions: dict[tuple[str, ...], list] = {}
    for visit in visits:
        if visit.visit_date not in versions:
            versions[visit.visit_date] = manual_version_for(programme, visit.visit_date)
        version = versions[visit.visit_date]
        if version is not None:
            if version.pk not in option_cache:
                questions = [q for _s, q in iter_questions(version.definition)]
                items = _code_items(code_lists_of(version.definition), active_only=False)
                option_cache[version.pk] = {q["key"]: _option_values(q) for q in questions}
                label_cache[version.pk] = {q["key"]: option_labels(q, items) for q in questions}
            questions = {q["key"]: q for _s, q in iter_questions(version.definition)}
            for key, value in _demo_answers(rng, version, visit, option_cache[version.pk]).items():
                text = display_value(questions[key], value, label_cache[version.pk][key])
                answers.append(HearingAnswer(visit=visit, version=version, question_key=key, value=value, text=text))
            visit.manual_version = version
            changed.append(visit)
        codes = tuple(sorted(c.code for c in visit.challenges.all()))
        if codes and visit.status != "draft":
            if codes not in suggestions:
                suggestions[codes] = suggest_content(programme, list(codes), limit=4)
            offered = suggestions[codes]
            outcomes = {o.code for o in visit.outcomes.all()}
            matched = [i for i in offered if i.kind != ContentKind.REFERRAL]
            picked = rng.sample(matched, min(len(matched), rng.randint(1, 2)))
            picked += [i for i in offered if i.introduction_id and i.introduction.code in outcomes and i not in picked]
            for item in picked:
                shown_rows.append(Shown(visit_id=visit.pk, contentitem_id=item.pk))
                if item.introduction_id:
                    intro_rows.append(Introduced(visit_id=visit.pk, codeitem_id=item.introduction_id))
    HearingAnswer.objects.bulk_create(answers, batch_size=1000)
    Visit.objects.bulk_update(changed, ["manual_version"], batch_size=500)
    Shown.objects.bulk_create(shown_rows, batch_size=1000, ignore_conflicts=True)
    Introduced.objects.bulk_create(intro_rows, batch_size=1000, ignore_conflicts=True)
    visit_search_reindex([v.pk for v in changed])
    return {"answers": len(answers), "contents_shown": len(shown_rows)}
