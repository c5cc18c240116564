"""Finding citizens by CPR number (whole or its first digits), name words, or address."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from fhb.citizens.models import Citizen

CPR_LIKE = re.compile(r"^\d{6}-?\d{0,4}$")


#: A search word matching at most this many citizens is looked up first and its ids passed on; a broader
#: word stays a subquery (an id list this long would cost more than it saves).
SEARCH_IDS_LIMIT = 20_000


def search_citizens(query: str, queryset: QuerySet[Citizen]) -> QuerySet[Citizen]:
    """Filter by CPR (whole or the first digits), name words, or address.

    Each word must match the name, the street or postcode (not of a protected address: finding someone by
    it would reveal it) or the town. Per word the citizens ``name UNION address UNION town``: each part can
    use its own index (trigram indexes on PostgreSQL, migration citizens 0003), where one OR across the
    citizen-dwelling join makes the database read every citizen. The matches of a word are fetched first
    (a few milliseconds) so that the page and its count look citizens up by id instead of joining the
    whole table again.
    """
    query = query.strip()
    if not query:
        return queryset
    if CPR_LIKE.match(query):
        return queryset.filter(cpr__startswith=query.replace("-", ""))
    found: set[int] | None = None
    for word in query.split():
        matches = word_matches(word)
        ids = list(matches[: SEARCH_IDS_LIMIT + 1])
        if len(ids) > SEARCH_IDS_LIMIT:
            queryset = queryset.filter(pk__in=matches)
        else:
            found = set(ids) if found is None else found & set(ids)
    return queryset if found is None else among(queryset, sorted(found))


def among(queryset: QuerySet[Citizen], ids: list[int]) -> QuerySet[Citizen]:
    """``queryset`` limited to ``ids``. PostgreSQL takes the ids as one array parameter (``= ANY``), which
    it hashes; as an ``IN`` list of thousands of literals the query took longer to parse than to run."""
    if connection.vendor == "postgresql":
        table = Citizen._meta.db_table
        return queryset.extra(where=[f'"{table}"."id" IN (SELECT unnest(%s::bigint[]))'], params=[ids])
    return queryset.filter(pk__in=ids)


def word_matches(word: str) -> QuerySet[Citizen, int]:
    """The ids of the citizens whose name, street or postcode (unless protected) or town matches ``word``."""
    by_name = Citizen.objects.filter(name__icontains=word).order_by().values_list("pk", flat=True)
    # Nobody is found by a protected address: not the protected citizen, nor a housemate (the search would
    # tell that someone in fhb lives there).
    protected_housemate = Citizen.objects.filter(dwelling=OuterRef("dwelling"), address_protected=True)
    by_address = (
        Citizen.objects.filter(Q(dwelling__street__icontains=word) | Q(dwelling__postcode=word))
        .exclude(Exists(protected_housemate))
        .order_by()
        .values_list("pk", flat=True)
    )
    by_town = Citizen.objects.filter(dwelling__city__iexact=word).order_by().values_list("pk", flat=True)
    return by_name.union(by_address, by_town)
