"""Pages of long lists that stay fast at any depth of data."""

from __future__ import annotations

from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    """Picks a page's primary keys first, then reads only those rows (a "deferred join").

    Choosing 25 ids in list order is an index-only scan over a covering index, whatever the planner guesses
    about where the matching rows lie in the table; reading every column while choosing lets it walk another
    index and filter thousands of wide rows instead. The rows come back with everything the list's queryset
    joins, in the order the ids were chosen. The rows are read by id alone: the list's filters (a search's
    included) are not run a second time, and its annotations are not carried over, as lists do not show them.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        chosen = self.object_list.model._default_manager.filter(pk__in=ids)
        chosen.query.select_related = self.object_list.query.select_related
        chosen.query.deferred_loading = self.object_list.query.deferred_loading
        chosen._prefetch_related_lookups = self.object_list._prefetch_related_lookups
        rows = {row.pk: row for row in chosen}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
