"""The search lexicon: every word of a proposal's title and summary, without diacritics (docs/search.md)."""

from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word some title or summary has used, written by a database trigger (migration 0014) whoever writes the
    proposal. A misspelt word of a search is looked up here and widened to the words it is close to, so the
    search itself stays a full-text query the planner can estimate. Words are never removed: a word no
    proposal uses any more only widens a query to nothing."""

    word = models.CharField(_("từ"), max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("từ tìm kiếm")
        verbose_name_plural = _("từ tìm kiếm")
        indexes = [GistIndex(fields=["word"], opclasses=["gist_trgm_ops"], name="search_word_trigram")]

    def __str__(self) -> str:
        return self.word
