"""The portal's permission matrix: public pages for everyone, staff screens per role, objects 404 when forbidden."""

import pytest

from kakehashi.core.testing import ACTORS, STAFF, Case, matrix_params

EVERYONE = set(ACTORS)
EDITORS = {"prefecture", "manager", "coordinator", "superuser"}
HANDLERS = {"manager", "coordinator", "superuser"}
CONSULTATION_READERS = HANDLERS | {"prefecture"}
SENDERS = {"manager", "coordinator", "superuser"}
MEMBERS = {"it_company_member", "superuser"}


def _article(ctx):
    from .factories import ArticleFactory

    return {"article": ArticleFactory()}


def _draft(ctx):
    from .factories import ArticleFactory

    return {"article": ArticleFactory(status="draft", published_at=None)}


def _company(ctx):
    from .factories import ITCompanyFactory

    return {"company": ITCompanyFactory()}


def _unlisted(ctx):
    from .factories import ITCompanyFactory

    return {"company": ITCompanyFactory(approved=False, approved_at=None)}


def _own_company(ctx):
    """A listed company maintained by the acting user (by someone else when anonymous)."""
    from kakehashi.accounts.tests.factories import UserFactory

    from .factories import ITCompanyFactory

    member = ctx["user"] or UserFactory(roles=["it_company_member"])
    return {"company": ITCompanyFactory(members=[member])}


def _revision(ctx):
    from kakehashi.accounts.tests.factories import UserFactory
    from kakehashi.portal.services import itcompany_revision_submit

    from .factories import ITCompanyFactory

    member = UserFactory(roles=["it_company_member"])
    company = ITCompanyFactory(members=[member])
    return {"revision": itcompany_revision_submit(actor=member, it_company=company, values={"summary": "新しい紹介"})}


def _consultation(ctx):
    from .factories import ConsultationRequestFactory

    return {"consultation": ConsultationRequestFactory()}


def _image(ctx):
    from django.core.files.base import ContentFile

    from kakehashi.portal.models import ArticleImage

    image = ArticleImage(content_type="image/png", size=16, original_name="a.png")
    image.file.save(image.pk.hex, ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8), save=False)
    image.save()
    return {"image": image}


def _confirm_token(ctx):
    from django.utils import timezone

    from kakehashi.portal.services import confirm_token

    from .factories import SubscriberFactory

    subscriber = SubscriberFactory(status="pending", confirmed_at=None, confirmation_sent_at=timezone.now())
    return {"token": confirm_token(subscriber)}


def _unsubscribe_token(ctx):
    from kakehashi.portal.services import unsubscribe_token

    from .factories import SubscriberFactory

    return {"token": unsubscribe_token(SubscriberFactory())}


PK = {"pk": 1}

CASES = [
    # --- Public pages: everyone, signed in or not -----------------------------------------------------------------
    Case("portal:home", EVERYONE),
    Case("portal:sitemap", EVERYONE),
    Case("portal:robots", EVERYONE),
    Case("portal:article_list", EVERYONE),
    Case("portal:article_detail", EVERYONE, setup=_article, kwargs=lambda ctx: {"pk": ctx["article"].pk}),
    # A draft or an unlisted company is not public, not even for editors (they see it in the editor): 404 for all.
    Case(
        "portal:article_detail",
        EVERYONE,
        setup=_draft,
        kwargs=lambda ctx: {"pk": ctx["article"].pk},
        ok_status={404},
    ),
    Case("portal:image", EVERYONE, setup=_image, kwargs=lambda ctx: {"pk": ctx["image"].pk}),
    Case("portal:directory", EVERYONE),
    Case("portal:itcompany_detail", EVERYONE, setup=_company, kwargs=lambda ctx: {"pk": ctx["company"].pk}),
    Case(
        "portal:itcompany_detail",
        EVERYONE,
        setup=_unlisted,
        kwargs=lambda ctx: {"pk": ctx["company"].pk},
        ok_status={404},
    ),
    Case("portal:search", EVERYONE, data={"q": "AI"}),
    Case("portal:consultation", EVERYONE),
    Case("portal:consultation_thanks", EVERYONE),
    Case("portal:magazine", EVERYONE),
    Case("portal:magazine_sent", EVERYONE),
    Case("portal:magazine_confirm", EVERYONE, setup=_confirm_token, kwargs=lambda ctx: {"token": ctx["token"]}),
    Case("portal:magazine_unsubscribe", EVERYONE, setup=_unsubscribe_token, kwargs=lambda ctx: {"token": ctx["token"]}),
    # --- IT-company members ----------------------------------------------------------------------------------------
    Case("portal:my_profiles", MEMBERS),
    Case(
        "portal:profile_propose",
        {"it_company_member", "superuser"},  # listed as a maintainer; staff roles are not (they edit directly)
        setup=_own_company,
        kwargs=lambda ctx: {"pk": ctx["company"].pk},
        denied_status=404,
    ),
    # Someone else's company: 404 for members too.
    Case(
        "portal:profile_propose", set(), setup=_company, kwargs=lambda ctx: {"pk": ctx["company"].pk}, denied_status=404
    ),
    # --- Staff: articles and directory -------------------------------------------------------------------------------
    Case("portal:manage_articles", EDITORS),
    Case("portal:article_create", EDITORS),
    Case("portal:article_edit", EDITORS, setup=_draft, kwargs=lambda ctx: {"pk": ctx["article"].pk}),
    Case("portal:article_preview", EDITORS, method="post", data={"body": "## 見出し"}),
    Case("portal:image_upload", EDITORS),
    Case("portal:manage_directory", EDITORS),
    Case("portal:itcompany_create", EDITORS),
    Case("portal:itcompany_edit", EDITORS, setup=_unlisted, kwargs=lambda ctx: {"pk": ctx["company"].pk}),
    Case("portal:revision_list", EDITORS),
    Case("portal:revision_review", EDITORS, setup=_revision, kwargs=lambda ctx: {"pk": ctx["revision"].pk}),
    # --- Staff: consultation requests, mail magazine, page views ----------------------------------------------------
    Case("portal:consultation_inbox", CONSULTATION_READERS),
    Case(
        "portal:consultation_detail",
        CONSULTATION_READERS,
        setup=_consultation,
        kwargs=lambda ctx: {"pk": ctx["consultation"].pk},
    ),
    Case(
        "portal:consultation_detail",
        HANDLERS,
        method="post",
        setup=_consultation,
        kwargs=lambda ctx: {"pk": ctx["consultation"].pk},
        data={"status": "in_progress", "staff_note": "電話済み"},
        ok_status={302},
    ),
    Case("portal:subscriber_list", SENDERS),
    Case("portal:subscriber_export", SENDERS),
    Case("portal:magazine_send", SENDERS),
    Case("portal:page_views", STAFF),
    # --- API -----------------------------------------------------------------------------------------------------
    Case("api:list_portal_articles", EVERYONE, api=True),
    Case(
        "api:get_portal_article",
        EVERYONE,
        api=True,
        setup=_article,
        kwargs=lambda ctx: {"article_id": ctx["article"].pk},
    ),
    Case(
        "api:get_portal_article",
        EVERYONE,
        api=True,
        setup=_draft,
        kwargs=lambda ctx: {"article_id": ctx["article"].pk},
        ok_status={404},
    ),
    Case("api:list_portal_it_companies", EVERYONE, api=True, data={"q": "ク"}),
    Case(
        "api:get_portal_it_company",
        EVERYONE,
        api=True,
        setup=_company,
        kwargs=lambda ctx: {"company_id": ctx["company"].pk},
    ),
    Case(
        "api:get_portal_it_company",
        EVERYONE,
        api=True,
        setup=_unlisted,
        kwargs=lambda ctx: {"company_id": ctx["company"].pk},
        ok_status={404},
    ),
    Case("api:list_portal_consultations", CONSULTATION_READERS, api=True),
    Case("api:get_portal_page_views", STAFF, api=True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_portal_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
