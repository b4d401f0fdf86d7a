"""A small hand-built programme whose every figure is worked out by hand in the tests.

Programme 2026-04-01 – 2027-03-31, target 10, seen "today" = Wednesday 2026-05-13 (ISO week 20).

company  municipality(region)  industry(大分類)  business form  size   counted visits (format, who)
c1       A (r1)                09 (E)           manufacturing  0_5    04-06 visit u1 (submitted), 04-20 seminar u1+u2,
                                                                        05-04 online u1
c2       A (r1)                06 (D)           construction   6_20   04-08 visit u1, 05-12 visit u1 (this week)
c3       B (r2)                09 (E)           manufacturing  0_5    04-22 online u2 (submitted)
c4       —                     —                —              —      05-06 visit u2
c5       A                     09               manufacturing  0_5    04-07 draft only        → not counted
c6       B                     06               construction   6_20   04-09 returned only     → not counted
c2 is also visited in another programme (never counted here). Designated: c1, c3, c5, c6 → 2 / 4.
"""

import datetime

import pytest

TODAY = datetime.date(2026, 5, 13)


@pytest.fixture
def kpi_world(programme, other_programme, make_user):
    from kakehashi.companies.tests.factories import (
        CodeItemFactory,
        CompanyFactory,
        IndustryFactory,
        MunicipalityFactory,
        RegionFactory,
    )
    from kakehashi.outreach.models import DesignatedCompany, Visit
    from kakehashi.reference.choices import CodeList, IndustryLevel

    programme.target_count = 10
    programme.save()
    formats = {
        code: CodeItemFactory(list=CodeList.VISIT_FORMAT, code=code, label_ja=label, order=order)
        for order, (code, label) in enumerate([("visit", "訪問"), ("seminar", "セミナー"), ("online", "オンライン")])
    }
    manufacturing = CodeItemFactory(list=CodeList.BUSINESS_FORM, code="manufacturing_own", label_ja="製造(自社製品)")
    construction = CodeItemFactory(list=CodeList.BUSINESS_FORM, code="construction", label_ja="建設", order=1)
    small = CodeItemFactory(list=CodeList.EMPLOYEES, code="0_5", label_ja="0〜5人")
    medium = CodeItemFactory(list=CodeList.EMPLOYEES, code="6_20", label_ja="6〜20人", order=1)
    muni_a = MunicipalityFactory(code="062014", name="山形市")
    muni_b = MunicipalityFactory(code="062022", name="米沢市")
    RegionFactory(prefecture=programme.prefecture, code="r1", name="村山", order=1, municipalities=[muni_a])
    RegionFactory(prefecture=programme.prefecture, code="r2", name="置賜", order=2, municipalities=[muni_b])
    major_e = IndustryFactory(code="E", name="製造業", order=5)
    major_d = IndustryFactory(code="D", name="建設業", order=4)
    food = IndustryFactory(code="09", level=IndustryLevel.MIDDLE, parent=major_e, name="食料品製造業", order=20)
    building = IndustryFactory(code="06", level=IndustryLevel.MIDDLE, parent=major_d, name="総合工事業", order=10)

    def company(name, municipality=None, industry=None, form=None, size=None):
        return CompanyFactory(
            name=name,
            municipality=municipality,
            industry=industry,
            business_form=form,
            employees_band=size,
            search_index=False,
        )

    c1 = company("株式会社一番", muni_a, food, manufacturing, small)
    c2 = company("株式会社二番", muni_a, building, construction, medium)
    c3 = company("株式会社三番", muni_b, food, manufacturing, small)
    c4 = company("四番商店")
    c5 = company("株式会社五番", muni_a, food, manufacturing, small)
    c6 = company("株式会社六番", muni_b, building, construction, medium)
    u1 = make_user("communicator", username="u1", display_name="担当 一郎")
    u2 = make_user("communicator", username="u2", display_name="担当 二郎")
    manager = make_user("manager")

    def visit(company, day, fmt, who, status="accepted", prog=None):
        v = Visit.objects.create(
            programme=prog or programme,
            company=company,
            visit_date=datetime.date.fromisoformat(day),
            visit_format=formats[fmt],
            status=status,
            recorded_by=who[0],
        )
        v.communicators.set(who)
        return v

    visit(c1, "2026-04-06", "visit", [u1], status="submitted")
    visit(c1, "2026-04-20", "seminar", [u1, u2])
    visit(c1, "2026-05-04", "online", [u1])
    visit(c2, "2026-04-08", "visit", [u1])
    visit(c2, "2026-05-12", "visit", [u1])
    visit(c3, "2026-04-22", "online", [u2], status="submitted")
    visit(c4, "2026-05-06", "visit", [u2])
    visit(c5, "2026-04-07", "visit", [u1], status="draft")
    visit(c6, "2026-04-09", "visit", [u2], status="returned")
    visit(c2, "2026-04-10", "visit", [u1], prog=other_programme)
    for designated in (c1, c3, c5, c6):
        DesignatedCompany.objects.create(programme=programme, company=designated)
    return {
        "programme": programme,
        "companies": [c1, c2, c3, c4, c5, c6],
        "formats": formats,
        "users": {"u1": u1, "u2": u2, "manager": manager},
        "visit": visit,
    }
