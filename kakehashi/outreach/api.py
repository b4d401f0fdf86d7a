import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .selectors import programmes_for

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    code: str
    name: str
    kind: str
    prefecture_code: str
    fiscal_year: int
    start_date: datetime.date
    end_date: datetime.date
    target_count: int

    @staticmethod
    def resolve_prefecture_code(obj) -> str:
        return obj.prefecture.code


@router.get("/programmes", response=list[ProgrammeOut], summary="事業の一覧（自分が参加している事業）")
def list_programmes(request):
    return list(programmes_for(request.auth))


@router.get("/programmes/{code}", response=ProgrammeOut, summary="事業の詳細")
def get_programme(request, code: str):
    return get_object_or_404(programmes_for(request.auth), code=code)
