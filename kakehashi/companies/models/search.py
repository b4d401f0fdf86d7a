"""The candidate index for company matching and search-as-you-type (docs/decisions/002-company-matching-index.md).

Derived data, rebuilt from `Company` by `kakehashi.companies.matching.index_companies` / `reindex_all`; never
edited by hand and not audited. A portable inverted table: the same SQL on SQLite and PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanySearchKey(models.Model):
    """The matching keys of one company, computed with the current normaliser when it was indexed.

    Companies merged into another record are not indexed, so they are never offered as candidates.
    """

    company = models.OneToOneField(
        "companies.Company",
        verbose_name=_("企業等"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_key",
    )
    name_key = models.CharField(_("正規化名称"), max_length=200)
    kana_key = models.CharField(_("正規化フリガナ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("企業検索キー")
        verbose_name_plural = _("企業検索キー")
        ordering = ["company"]

    def __str__(self) -> str:
        return self.name_key


class CompanyGram(models.Model):
    """One posting of the inverted index: company `company` has `gram` in its name key or its kana key.

    `gram` is a character bigram, ``^`` + the first character, ``>`` + the last one, or ``=`` + the whole key
    (`normalise.name_grams`). `municipality_id` is copied from the company so that a look-up can be narrowed to
    one municipality through the index alone. The (gram, municipality, company) index covers every look-up; the
    primary key (company, gram) serves re-indexing one company.
    """

    pk = models.CompositePrimaryKey("company", "gram")
    gram = models.CharField(_("n-gram"), max_length=201)
    # No database constraint: ~19 postings per company would each pay a foreign-key check in a rebuild. Django's
    # CASCADE still removes a deleted company's postings; an orphan could only come from raw SQL and is ignored.
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業等"),
        on_delete=models.CASCADE,
        related_name="search_grams",
        db_index=False,
        db_constraint=False,
    )
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("市区町村"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("企業検索n-gram")
        verbose_name_plural = _("企業検索n-gram")
        ordering = ["gram", "company"]
        indexes = [
            models.Index(fields=["gram", "municipality", "company"], name="companygram_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.gram} → {self.company_id}"


class CompanyGramStat(models.Model):
    """How many companies each gram occurs in (document frequency); picks the selective grams of a query.

    Exact-key grams (``=`` …) are not counted. Kept in step incrementally by `index_companies`.
    """

    gram = models.CharField(_("n-gram"), max_length=201, primary_key=True)
    companies = models.IntegerField(_("企業数"), default=0)

    class Meta:
        verbose_name = _("n-gram出現数")
        verbose_name_plural = _("n-gram出現数")
        ordering = ["gram"]

    def __str__(self) -> str:
        return f"{self.gram}: {self.companies}"
