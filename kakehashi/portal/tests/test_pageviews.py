"""Page views: counted per path and month on the server, without cookies or personal data; bots skipped."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kakehashi.portal.models import PageView
from kakehashi.portal.pageviews import is_bot, month_of, record_page_view

from .factories import ArticleFactory

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari"


@pytest.mark.django_db
def test_record_upserts_one_row_per_path_and_month():
    record_page_view("/portal/")
    record_page_view("/portal/")
    record_page_view("/portal/news/")
    last_month = timezone.now() - datetime.timedelta(days=40)
    record_page_view("/portal/", when=last_month)
    assert PageView.objects.get(path="/portal/", month=month_of()).views == 2
    assert PageView.objects.get(path="/portal/news/", month=month_of()).views == 1
    assert PageView.objects.get(path="/portal/", month=month_of(last_month)).views == 1


@pytest.mark.django_db
def test_public_page_is_counted_without_setting_cookies():
    article = ArticleFactory()
    client = Client(HTTP_USER_AGENT=BROWSER)
    response = client.get(article.get_absolute_url() + "?utm_source=mail")
    assert response.status_code == 200
    # No session and no tracking cookie; only the CSRF token the public layout puts on forms.
    assert set(response.cookies) <= {"csrftoken"}
    client.get(article.get_absolute_url())
    row = PageView.objects.get()
    assert row.path == article.get_absolute_url()  # no query string kept
    assert row.views == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user_agent", "headers"),
    [
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (compatible; bingbot/2.0)", {}),
        ("curl/8.5.0", {}),
        ("", {}),
        (BROWSER, {"HTTP_SEC_PURPOSE": "prefetch"}),
        (BROWSER, {"HTTP_HX_REQUEST": "true"}),
    ],
)
def test_bots_prefetch_and_partials_are_not_counted(user_agent, headers):
    Client(HTTP_USER_AGENT=user_agent).get("/portal/", **headers)
    assert not PageView.objects.exists()


@pytest.mark.django_db
def test_errors_and_posts_are_not_counted():
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.get("/portal/news/999999/")
    client.post("/portal/mail-magazine/", {"email": "not-an-address"})
    assert not PageView.objects.exists()


def test_bot_heuristics():
    assert is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)")
    assert is_bot("facebookexternalhit/1.1")  # "hit" previews are fetches by bots
    assert not is_bot(BROWSER)


@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_are_not_lost():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race this guards against needs PostgreSQL")
    errors = []

    def hit():
        try:
            for _ in range(10):
                record_page_view("/portal/race/")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert PageView.objects.get(path="/portal/race/").views == 40


@pytest.mark.django_db
def test_staff_page_names_counted_pages(client_for):
    article = ArticleFactory(title="読まれた記事")
    record_page_view(article.get_absolute_url())
    record_page_view("/portal/")
    html = client_for("communicator").get("/portal/manage/page-views/").content.decode()
    assert "読まれた記事" in html
    assert "ホーム" in html
