"""The one filter definition of the registry list, shared by the HTML list, the CSV/XLSX export and the API.

`filter_companies(queryset, data, *, programme)` validates `data` (a QueryDict or dict of strings) with
`CompanyFilterForm`; a value that does not validate is ignored and reported in `ignored`, never a 500.
Reference values are passed by their codes (市区町村コード, JSIC code, code-list codes), so URLs and API
calls stay stable when labels change.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import ListFilterForm
from kakehashi.core.widgets import use_fast_selects
from kakehashi.outreach.models import DesignatedCompany, Programme
from kakehashi.reference.choices import CodeList, IndustryLevel
from kakehashi.reference.models import CodeItem, Industry, Municipality, Region

from .choices import CompanyStatus
from .models import Company
from .registry_matching import search_companies

YES, NO = "yes", "no"
STATUS_LIVE = ""  # default: 存続 and 閉鎖, merged records left out
STATUS_ALL = "all"
SORTS = {
    "kana": ("name_kana", "name_key", "pk"),
    "name": ("name_key", "pk"),
    "municipality": ("municipality__code", "name_kana", "name_key", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "-created": ("-created_at", "-pk"),
}
DEFAULT_SORT = "kana"
CODE_FILTERS = (("business_form", "business_form"), ("employees", "employees_band"), ("revenue", "revenue_band"))


def companies_heard_in(programme: Programme) -> QuerySet[Company] | None:
    """The companies heard (visited) in `programme`, or None while no visit records exist.

    Hook for the visits feature: `kakehashi.outreach.selectors.companies_heard_in(programme)` will return
    them. Until it is there this answers None, the 「今年度ヒアリング済」 filter is hidden and the list is
    not narrowed by it.
    """
    try:
        from kakehashi.outreach.selectors import companies_heard_in as heard_in
    except ImportError:
        return None
    return heard_in(programme)


def heard_filter_available() -> bool:
    try:
        from kakehashi.outreach.selectors import companies_heard_in  # noqa: F401
    except ImportError:
        return False
    return True


class CodeChoiceField(forms.ModelChoiceField):
    """A reference choice passed by its code and shown with its label."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, required=False, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        if isinstance(obj, Industry):
            return f"{obj.code} {obj.name}" if obj.level == IndustryLevel.MAJOR else f"　{obj.code} {obj.name}"
        if isinstance(obj, CodeItem):
            return obj.label
        return str(obj)


def _code_items(code_list: str) -> QuerySet[CodeItem]:
    return CodeItem.objects.filter(list=code_list, active=True)


class CompanyFilterForm(ListFilterForm):
    """Filters of the registry list. Every field is optional; values are codes."""

    q = forms.CharField(label=_("名称・フリガナ"), required=False, max_length=100)
    region = CodeChoiceField(Region.objects.none(), label=_("地域"), empty_label=_("すべて"))
    municipality = CodeChoiceField(Municipality.objects.none(), label=_("市区町村"), empty_label=_("すべて"))
    industry = CodeChoiceField(
        Industry.objects.filter(active=True).order_by("order", "code"), label=_("業種"), empty_label=_("すべて")
    )
    business_form = CodeChoiceField(_code_items(CodeList.BUSINESS_FORM), label=_("業態"), empty_label=_("すべて"))
    employees = CodeChoiceField(_code_items(CodeList.EMPLOYEES), label=_("従業員規模"), empty_label=_("すべて"))
    revenue = CodeChoiceField(_code_items(CodeList.REVENUE), label=_("売上規模"), empty_label=_("すべて"))
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[
            (STATUS_LIVE, _("存続・閉鎖（統合済を除く）")),
            (CompanyStatus.ACTIVE, CompanyStatus.ACTIVE.label),
            (CompanyStatus.CLOSED, CompanyStatus.CLOSED.label),
            (CompanyStatus.MERGED, CompanyStatus.MERGED.label),
            (STATUS_ALL, _("すべて")),
        ],
    )
    designated = forms.ChoiceField(
        label=_("指定訪問先"), required=False, choices=[("", _("すべて")), (YES, _("指定あり")), (NO, _("指定なし"))]
    )
    heard = forms.ChoiceField(
        label=_("今年度ヒアリング"),
        required=False,
        choices=[("", _("すべて")), (YES, _("ヒアリング済")), (NO, _("未ヒアリング"))],
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("", _("フリガナ順（検索時は一致順）")),
            ("kana", _("フリガナ順")),
            ("name", _("名称順")),
            ("municipality", _("市区町村順")),
            ("-updated", _("更新が新しい順")),
            ("-created", _("登録が新しい順")),
        ],
    )

    def __init__(self, data=None, *, programme: Programme | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.programme = programme
        if programme is not None:
            self.fields["region"].queryset = Region.objects.filter(prefecture_id=programme.prefecture_id, active=True)
            self.fields["municipality"].queryset = Municipality.objects.filter(
                prefecture_id=programme.prefecture_id, active=True
            ).order_by("code")
        else:
            del self.fields["region"]
            del self.fields["designated"]
            self.fields["municipality"].queryset = Municipality.objects.filter(active=True).order_by("code")
        if programme is None or not heard_filter_available():
            del self.fields["heard"]
        use_fast_selects(self)


@dataclass
class FilteredCompanies:
    """The outcome of filtering: the queryset, the bound form (for re-display) and what was ignored."""

    queryset: QuerySet[Company]
    form: CompanyFilterForm
    ignored: list[str] = field(default_factory=list)


def _ignored_messages(form: CompanyFilterForm) -> list[str]:
    messages = []
    for name in form.errors:
        label = form.fields[name].label if name in form.fields else name
        message = _("「%(label)s」の指定が正しくないため、その条件は使わずに表示しています。")
        messages.append(str(message) % {"label": label})
    return messages


def filter_companies(queryset: QuerySet[Company], data, *, programme: Programme | None) -> FilteredCompanies:
    """Apply the list filters in `data` to `queryset` (already narrowed to the user)."""
    form = CompanyFilterForm(_only_filter_keys(data), programme=programme)
    form.is_valid()
    ignored = _ignored_messages(form)
    values = form.cleaned_data

    status = values.get("status") or STATUS_LIVE
    if status == STATUS_LIVE:
        queryset = queryset.exclude(status=CompanyStatus.MERGED)
    elif status != STATUS_ALL:
        queryset = queryset.filter(status=status)

    if region := values.get("region"):
        in_region = Municipality.objects.filter(Q(regions=region) | Q(parent__regions=region)).values("pk")
        queryset = queryset.filter(municipality_id__in=in_region)
    if municipality := values.get("municipality"):
        queryset = queryset.filter(Q(municipality=municipality) | Q(municipality__parent=municipality))
    if industry := values.get("industry"):
        if industry.level == IndustryLevel.MAJOR:
            queryset = queryset.filter(Q(industry=industry) | Q(industry__parent=industry))
        else:
            queryset = queryset.filter(industry=industry)
    for name, attribute in CODE_FILTERS:
        if item := values.get(name):
            queryset = queryset.filter(**{attribute: item})

    if programme is not None and (designated := values.get("designated")):
        exists = Exists(DesignatedCompany.objects.filter(programme=programme, company=OuterRef("pk")))
        queryset = queryset.filter(exists) if designated == YES else queryset.exclude(exists)
    if programme is not None and (heard := values.get("heard")):
        heard_companies = companies_heard_in(programme)
        if heard_companies is not None:
            heard_ids = heard_companies.values("pk")
            queryset = queryset.filter(pk__in=heard_ids) if heard == YES else queryset.exclude(pk__in=heard_ids)

    query = values.get("q", "")
    sort = values.get("sort") or ""
    if query:
        queryset = search_companies(queryset, query)
    if sort or not query:
        queryset = queryset.order_by(*SORTS[sort or DEFAULT_SORT])
    return FilteredCompanies(queryset=queryset, form=form, ignored=ignored)


FILTER_KEYS = frozenset(CompanyFilterForm.base_fields)


def _only_filter_keys(data) -> dict[str, str]:
    """The filter values of a request's GET (page numbers, formats and unknown keys dropped)."""
    if data is None:
        return {}
    return {key: data.get(key) for key in FILTER_KEYS if data.get(key) not in (None, "")}
