"""The one filter definition of the visit list, shared by the HTML list, the CSV/XLSX export and the API.

`filter_visits(queryset, data, *, programme, user=None)` validates `data` (a QueryDict or a dict of strings) with
`VisitFilterForm`; a value that does not validate is ignored and reported in `ignored`, never a 500. Coded values
are passed by their codes (市区町村コード, 地域コード, code-list codes) and people by user name, so URLs and API
calls stay stable when labels change.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kakehashi.companies.models import Company
from kakehashi.companies.registry_matching import search_companies
from kakehashi.core.forms import ListFilterForm
from kakehashi.core.widgets import use_fast_selects
from kakehashi.reference.choices import CodeList
from kakehashi.reference.models import CodeItem, Municipality, Region

from .choices import COUNTED_VISIT_STATUSES, VisitStatus
from .models import Programme, Visit
from .search import search_visits
from .selectors import programme_staff

STATUS_COUNTED = "counted"
SORTS = {
    "-date": ("-visit_date", "-start_time", "-pk"),
    "date": ("visit_date", "start_time", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "company": ("company__name_key", "-visit_date", "-pk"),
}
DEFAULT_SORT = "-date"


class CodeFilterField(forms.ModelChoiceField):
    """A reference value passed by its code and shown with its label."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("empty_label", _("すべて"))
        super().__init__(queryset, required=False, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return getattr(obj, "label", None) or obj.name


class UserFilterField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, required=False, to_field_name="username", empty_label=_("すべて"), **kwargs)

    def label_from_instance(self, obj):
        return str(obj)


def _codes(list_name: str) -> QuerySet[CodeItem]:
    return CodeItem.objects.filter(list=list_name).order_by("-active", "order", "code")


class VisitFilterForm(ListFilterForm):
    """Filters of the visit list. Every field is optional."""

    q = forms.CharField(
        label=_("面談概要・回答のキーワード"),
        required=False,
        max_length=100,
        help_text=_("1文字から探せます。スペースで区切るとすべてを含む記録を探します。"),
    )
    company = forms.CharField(label=_("企業名"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("訪問日（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("訪問日（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("", _("すべて")), (STATUS_COUNTED, _("提出済・承認済（件数に数える）")), *VisitStatus.choices],
    )
    visit_format = CodeFilterField(_codes(CodeList.VISIT_FORMAT), label=_("外訪形態"))
    communicator = UserFilterField(get_user_model().objects.none(), label=_("担当コミュニケータ"))
    region = CodeFilterField(Region.objects.none(), label=_("地域"))
    municipality = CodeFilterField(Municipality.objects.none(), label=_("市町村"))
    challenge = CodeFilterField(_codes(CodeList.CHALLENGE), label=_("課題カテゴリ"))
    outcome = CodeFilterField(_codes(CodeList.OUTCOME), label=_("勧誘成果"))
    mine = forms.BooleanField(label=_("自分の記録だけ"), required=False)
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("", _("訪問日が新しい順")),
            ("date", _("訪問日が古い順")),
            ("-updated", _("更新が新しい順")),
            ("company", _("企業名順")),
        ],
    )

    def __init__(self, data=None, *, programme: Programme | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.programme = programme
        if programme is not None:
            self.fields["region"].queryset = Region.objects.filter(prefecture_id=programme.prefecture_id)
            self.fields["municipality"].queryset = Municipality.objects.filter(
                prefecture_id=programme.prefecture_id
            ).order_by("code")
            self.fields["communicator"].queryset = programme_staff(programme, "communicator", "manager")
        else:
            self.fields["region"].queryset = Region.objects.all()
            self.fields["municipality"].queryset = Municipality.objects.order_by("code")
            self.fields["communicator"].queryset = (
                get_user_model().objects.filter(programme_memberships__role__in=["communicator", "manager"]).distinct()
            )
        use_fast_selects(self)


@dataclass
class FilteredVisits:
    queryset: QuerySet[Visit]
    form: VisitFilterForm
    ignored: list[str] = field(default_factory=list)


FILTER_KEYS = frozenset(VisitFilterForm.base_fields)


def _only_filter_keys(data) -> dict[str, str]:
    if data is None:
        return {}
    return {key: data.get(key) for key in FILTER_KEYS if data.get(key) not in (None, "")}


def _ignored_messages(form: VisitFilterForm) -> list[str]:
    messages = []
    for name in form.errors:
        label = form.fields[name].label if name in form.fields else name
        messages.append(
            str(_("「%(label)s」の指定が正しくないため、その条件は使わずに表示しています。")) % {"label": label}
        )
    return messages


def filter_visits(queryset: QuerySet[Visit], data, *, programme: Programme | None, user=None) -> FilteredVisits:
    """Apply the list filters in `data` to `queryset` (already narrowed to the user)."""
    form = VisitFilterForm(_only_filter_keys(data), programme=programme)
    form.is_valid()
    values = form.cleaned_data

    if date_from := values.get("date_from"):
        queryset = queryset.filter(visit_date__gte=date_from)
    if date_to := values.get("date_to"):
        queryset = queryset.filter(visit_date__lte=date_to)
    status = values.get("status")
    if status == STATUS_COUNTED:
        queryset = queryset.filter(status__in=COUNTED_VISIT_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if visit_format := values.get("visit_format"):
        queryset = queryset.filter(visit_format=visit_format)
    if communicator := values.get("communicator"):
        queryset = queryset.filter(Q(communicators=communicator) | Q(recorded_by=communicator)).distinct()
    if region := values.get("region"):
        in_region = Municipality.objects.filter(Q(regions=region) | Q(parent__regions=region)).values("pk")
        queryset = queryset.filter(municipality_id__in=in_region)
    if municipality := values.get("municipality"):
        queryset = queryset.filter(Q(municipality=municipality) | Q(municipality__parent=municipality))
    if challenge := values.get("challenge"):
        queryset = queryset.filter(
            pk__in=Visit.challenges.through.objects.filter(codeitem=challenge).values("visit_id")
        )
    if outcome := values.get("outcome"):
        queryset = queryset.filter(pk__in=Visit.outcomes.through.objects.filter(codeitem=outcome).values("visit_id"))
    if values.get("mine") and user is not None:
        queryset = queryset.filter(Q(recorded_by=user) | Q(communicators=user)).distinct()
    if company_query := (values.get("company") or "").strip():
        found = search_companies(Company.objects.all(), company_query).order_by().values("pk")
        queryset = queryset.filter(company_id__in=found)
    if query := values.get("q"):
        queryset = search_visits(queryset, query)
    queryset = queryset.order_by(*SORTS[values.get("sort") or DEFAULT_SORT])
    return FilteredVisits(queryset=queryset, form=form, ignored=_ignored_messages(form))
