import pytest
from django.db import IntegrityError, transaction

from civility.orgs.models import Official, OrgUnit, UnitKind
from tests.factories import make_official, make_unit


def test_path_and_depth_follow_the_parent(db):
    city = make_unit("Hà Nội", kind=UnitKind.PROVINCE)
    ward = make_unit("Phường Tây Hồ", parent=city, kind=UnitKind.WARD)
    counter = make_unit("Quầy 1", parent=ward, kind=UnitKind.COUNTER)

    assert counter.path == f"{city.pk}/{ward.pk}/{counter.pk}/"
    assert (city.depth, ward.depth, counter.depth) == (0, 1, 2)


def test_moving_a_unit_moves_its_whole_subtree(db):
    old_city, new_city = (
        make_unit("A", kind=UnitKind.PROVINCE),
        make_unit("B", kind=UnitKind.PROVINCE),
    )
    ward = make_unit("Ward", parent=old_city, kind=UnitKind.WARD)
    counter = make_unit("Counter", parent=ward, kind=UnitKind.COUNTER)

    ward.parent = new_city
    ward.save()

    counter.refresh_from_db()
    assert counter.path == f"{new_city.pk}/{ward.pk}/{counter.pk}/"
    assert set(OrgUnit.objects.subtree_of(new_city)) == {new_city, ward, counter}


def test_a_unit_cannot_move_under_its_own_subtree(db):
    city = make_unit("A", kind=UnitKind.PROVINCE)
    ward = make_unit("Ward", parent=city, kind=UnitKind.WARD)
    city.parent = ward
    with pytest.raises(IntegrityError), transaction.atomic():
        city.save()


def test_officials_under_a_unit_take_one_query_whatever_the_depth(db, django_assert_num_queries):
    city = make_unit("Hà Nội", kind=UnitKind.PROVINCE)
    parent = city
    for depth in range(8):
        parent = make_unit(f"Level {depth}", parent=parent)
        make_official(f"Official {depth}", unit=parent)

    with django_assert_num_queries(1):
        assert len(list(Official.objects.under(city))) == 8
    deep = OrgUnit.objects.get(name="Level 5")
    with django_assert_num_queries(1):
        assert len(list(Official.objects.under(deep))) == 3
