"""A typed address that names a ward or commune goes there, whatever the diacritics."""

from __future__ import annotations

import datetime
from decimal import Decimal

from civility.feedback.models import PublicReport
from civility.feedback.routing import commune_named_in
from civility.orgs.models import UnitKind
from tests.factories import make_unit


def send(client, point, **fields):
    data = {"category": point.littering.pk, "description": "Đổ rác ra lòng đường", **fields}
    return client.post("/feedback/report/", data)


def test_an_address_naming_a_ward_goes_to_that_ward(client, point, cast):
    hoan_kiem = make_unit("Phường Hoàn Kiếm", parent=cast.city, kind=UnitKind.WARD)

    send(client, point, address="số 5 phố Hàng Bài, phường Hoàn Kiếm")

    assert PublicReport.objects.get().unit == hoan_kiem


def test_an_address_typed_without_diacritics_or_in_capitals_finds_the_ward(client, point, cast):
    hoan_kiem = make_unit("Phường Hoàn Kiếm", parent=cast.city, kind=UnitKind.WARD)

    send(client, point, address="so 5 pho Hang Bai, phuong hoan kiem")
    send(client, point, address="5 HÀNG BÀI - PHƯỜNG HOÀN KIẾM, HÀ NỘI")

    assert [r.unit for r in PublicReport.objects.all()] == [hoan_kiem, hoan_kiem]


def test_the_longest_name_in_the_address_wins(cast):
    make_unit("Xã Sơn", parent=cast.city, kind=UnitKind.COMMUNE)
    son_dong = make_unit("Xã Sơn Đông", parent=cast.city, kind=UnitKind.COMMUNE)

    assert commune_named_in("thôn 3, xa son dong", province=None) == son_dong


def test_a_name_matches_only_as_whole_words(cast):
    make_unit("Xã Sơn", parent=cast.city, kind=UnitKind.COMMUNE)

    assert commune_named_in("đường Xã Sơnla 12") is None


def test_an_address_naming_no_ward_goes_to_the_city_as_before(client, point, cast):
    send(client, point, address="số 5 phố Hàng Bài")

    assert PublicReport.objects.get().unit == cast.city


def test_a_former_district_or_a_department_is_not_a_destination(cast):
    make_unit("Quận Hoàn Kiếm", parent=cast.city, kind=UnitKind.FORMER_DISTRICT)

    assert commune_named_in("quận Hoàn Kiếm") is None


def test_a_named_ward_comes_before_the_nearest_place_of_a_point(client, point, cast):
    # The point is next to the park of ward B; the citizen names ward A.
    send(
        client,
        point,
        address="cạnh vườn hoa, phường Tây Hồ",
        latitude="21.040500",
        longitude="105.860300",
    )

    assert PublicReport.objects.get().unit == cast.a.ward


def test_a_name_shared_by_two_provinces_counts_only_in_the_points_province(cast):
    other = make_unit("Tỉnh Sơn La", kind=UnitKind.PROVINCE, code="14")
    here = make_unit("Xã Tân Lập", parent=cast.city, kind=UnitKind.COMMUNE)
    make_unit("Xã Tân Lập", parent=other, kind=UnitKind.COMMUNE)

    assert commune_named_in("xã Tân Lập") is None
    assert commune_named_in("xã Tân Lập", province=cast.city) == here


def test_a_ward_no_longer_in_existence_is_not_a_destination(cast):
    make_unit(
        "Phường Hàng Bài",
        parent=cast.city,
        kind=UnitKind.WARD,
        valid_to=datetime.date(2025, 6, 30),
    )

    assert commune_named_in("phường Hàng Bài") is None


def test_a_point_still_routes_when_the_address_names_nothing(client, point, cast):
    send(client, point, address="gần hồ", latitude="21.040500", longitude="105.860300")

    assert PublicReport.objects.get().unit == cast.b.ward
    assert Decimal(PublicReport.objects.get().latitude) == Decimal("21.040500")


def test_a_ward_is_found_however_the_citizen_abbreviates_it(cast):
    hoan_kiem = make_unit("Phường Hoàn Kiếm", parent=cast.city, kind=UnitKind.WARD)

    for typed in (
        "5 Hàng Bài, P. Hoàn Kiếm",
        "5 hang bai,p.hoan kiem",
        "phuong Hoan Kiem, Ha Noi",
        "PHƯỜNG   HOÀN-KIẾM",
        "số 5 Hàng Bài, Hoàn Kiếm, Hà Nội",
    ):
        assert commune_named_in(typed) == hoan_kiem, typed


def test_a_commune_is_found_by_xa_or_x_dot(cast):
    dong_anh = make_unit("Xã Đông Anh", parent=cast.city, kind=UnitKind.COMMUNE)

    assert commune_named_in("thôn Cổ Loa, xã Đông Anh") == dong_anh
    assert commune_named_in("thon Co Loa, X.Dong Anh") == dong_anh
    assert commune_named_in("thôn Cổ Loa, Đông Anh") == dong_anh


def test_the_kind_typed_before_a_name_shared_by_a_ward_and_a_commune_decides(cast):
    ward = make_unit("Phường Thanh Liệt", parent=cast.city, kind=UnitKind.WARD)
    commune = make_unit("Xã Thanh Liệt", parent=cast.city, kind=UnitKind.COMMUNE)

    assert commune_named_in("p. thanh liet") == ward
    assert commune_named_in("X. Thanh Liệt") == commune


def test_two_units_matching_equally_are_not_guessed_between(client, point, cast):
    make_unit("Phường Thanh Liệt", parent=cast.city, kind=UnitKind.WARD)
    make_unit("Xã Thanh Liệt", parent=cast.city, kind=UnitKind.COMMUNE)

    assert commune_named_in("ngõ 4, Thanh Liệt") is None
    send(client, point, address="ngõ 4, Thanh Liệt")
    assert PublicReport.objects.get().unit == cast.city


def test_a_street_or_a_former_district_sharing_the_name_is_not_the_ward(cast):
    make_unit("Phường Hàng Bài", parent=cast.city, kind=UnitKind.WARD)

    assert commune_named_in("số 5 phố Hàng Bài") is None
    assert commune_named_in("quận Hàng Bài cũ") is None


def test_a_former_ward_of_the_same_name_is_not_chosen(cast):
    make_unit(
        "Phường Hoàn Kiếm",
        parent=cast.city,
        kind=UnitKind.WARD,
        valid_to=datetime.date(2025, 6, 30),
    )
    today = make_unit("Xã Hoàn Kiếm", parent=cast.city, kind=UnitKind.COMMUNE)

    assert commune_named_in("Hoàn Kiếm") == today
    assert commune_named_in("p. Hoàn Kiếm") is None
