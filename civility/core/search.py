"""Text search without diacritics that an index can serve.

PostgreSQL's unaccent() is only STABLE (its dictionary could change), so no index may hold
it and `field__unaccent__icontains` reads every row: 1-3 s over a city's 150,000 officials
joined to their 1.8 million evaluations. `civility_fold(text)` (migration core/0004) pins
the dictionary, which makes it IMMUTABLE: the units' and officials' stored `search_name`
columns hold it (orgs.models.Folded), and the `unaccented` lookup below calls it on both
sides, so a trigram GIN index on UPPER(civility_fold(column)) turns
`field__unaccented__icontains="huong"` into an index scan. "Hường", "HUONG" and "huong"
find each other.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import CharField, Func, TextField, Transform
from django.db.models.functions import Upper

FUNCTION = "civility_fold"


class Unaccented(Transform):
    bilateral = True  # the searched text loses its diacritics too
    lookup_name = "unaccented"
    function = FUNCTION
    output_field = TextField()


CharField.register_lookup(Unaccented)
TextField.register_lookup(Unaccented)


def trigram_index(field: str, *, name: str) -> GinIndex:
    """The index `field__unaccented__icontains` uses (icontains compares UPPER of both)."""
    return GinIndex(
        OpClass(Upper(Func(field, function=FUNCTION, output_field=TextField())), "gin_trgm_ops"),
        name=name,
    )
