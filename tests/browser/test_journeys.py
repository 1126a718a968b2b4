"""The main journeys of each kind of user, end to end in a real Chromium, with screenshots of
the pages at phone and desktop sizes kept under test-results/screenshots/."""

from __future__ import annotations

import datetime
import io
import re
import time
import uuid

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from civility.codes.actions import load_code_seed, start_campaign
from civility.codes.models import Commitment
from civility.feedback.actions import register_device
from civility.feedback.models import AssistanceCall, PublicReport, ReportCategory, ServiceRating
from civility.inspections import actions as inspections
from civility.inspections.models import AnswerKind, InspectionStatus, Photo
from civility.orgs.models import PlaceKind, UnitKind
from civility.orgs.scopes import Role
from tests.factories import PASSWORD, make_official, make_place, make_unit, make_user

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(user.username)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_signing_in_and_switching_the_language(
    page: Page, live_server, transactional_db, cast, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the tests' default
    screenshot(page, "login")
    sign_in(page, live_server.url, cast.a.head)
    expect(page.locator("h1")).to_have_text("To do")
    screenshot(page, "home-en")

    page.locator("#language-switcher").select_option("vi")
    page.locator("#language-switcher").locator("xpath=..").locator("button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("header")).not_to_contain_text("Log out")
    page.reload()  # kept in the profile, not only for one page
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "home-vi")


def _photo(path) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 40, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _best(criterion) -> str:
    kind = criterion.answer_kind
    if kind == AnswerKind.YES_NO:
        return "yes"
    if kind == AnswerKind.SCORE:
        return str(criterion.max_score)
    if kind == AnswerKind.CHOICE:
        return str(max(criterion.options, key=lambda option: option.get("score", 0))["value"])
    if kind == AnswerKind.NUMBER:
        return "1"
    return "Đạt"


def inspections_photo(inspector, inspection, criterion, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = _photo(tmp_path / f"c{criterion.pk}.jpg")
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile("c.jpg", handle.read(), content_type="image/jpeg")
    inspections.add_photo(
        actor=inspector, inspection=inspection, criterion=criterion, upload=upload
    )


def test_an_inspection_on_a_phone_with_a_photo_is_submitted(
    page: Page, live_server, transactional_db, cast, media, tmp_path, screenshot
):
    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    template = inspections.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    inspector = make_user("inspector_phone", roles={Role.INSPECTOR: cast.city})
    counter = make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER)
    inspection = inspections.start_inspection_on_the_spot(
        actor=inspector, inspecting_unit=cast.city, template=template, unit=counter
    )
    criteria = list(inspection.template_version.criteria())
    first = criteria[0]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, inspector)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/run/")
    step = page.locator(f"#criterion-{first.pk}")
    expect(step).to_be_visible()

    step.get_by_text("Yes", exact=True).click()
    step.locator("input[type=file][name=photo]").set_input_files(_photo(tmp_path / "quay.jpg"))
    expect(page.locator(f"[data-photos='{first.pk}'] img")).to_have_count(1, timeout=10_000)
    expect(page.locator("#sync-status")).to_have_text("All answers saved.", timeout=10_000)
    screenshot(page, "inspection-run")
    assert Photo.objects.filter(inspection=inspection, criterion=first).count() == 1

    # The rest of the checklist is answered in full marks, as if on the other steps.
    results = inspections.record_answers(
        actor=inspector,
        inspection=inspection,
        answers=[
            inspections.AnswerIn(client_id=uuid.uuid4(), criterion_id=c.pk, value=_best(c))
            for c in criteria[1:]
        ],
    )
    assert {result.status for result in results} == {"saved"}, results
    for criterion in criteria[1:]:
        if criterion.photo_required:
            inspections_photo(inspector, inspection, criterion, tmp_path)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/")
    page.get_by_role("button", name="Submit and lock the results").click()
    page.locator("#confirm-submit").click()  # submitting locks the results: asked first

    expect(page.locator("body")).to_contain_text("Inspection submitted: score 100")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED and inspection.score == 100
    screenshot(page, "inspection-submitted")


@pytest.fixture
def kiosk(page: Page, live_server, transactional_db, cast, settings):
    settings.FEEDBACK_STREAM_WSGI = True
    point = make_unit(
        "Điểm phục vụ hành chính công Tây Hồ", parent=cast.city, kind=UnitKind.SERVICE_POINT
    )
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    make_official("Lê Thị Thu", unit=counter)
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy 1")
    page.goto(f"{live_server.url}/feedback/kiosk/#key={secret}")
    expect(page.locator("#counter-name")).to_have_text("Quầy số 1")
    return page, point


def _rate(page: Page, level: int) -> None:
    page.locator(f"button.kiosk-level[data-level='{level}']").click()
    page.locator("#send").click()
    expect(page.locator("#thanks")).to_be_visible()
    expect(page.locator("#rate")).to_be_visible(timeout=10_000)


def test_kiosk_ratings_online_then_offline_are_each_counted_once(kiosk, screenshot):
    page, _point = kiosk
    screenshot(page, "kiosk")
    _rate(page, 5)
    expect(page.locator("body")).to_have_attribute("data-pending", "0", timeout=10_000)
    assert ServiceRating.objects.count() == 1

    page.context.set_offline(True)
    _rate(page, 2)
    expect(page.locator("body")).to_have_attribute("data-pending", "1")
    assert ServiceRating.objects.count() == 1

    page.context.set_offline(False)
    expect(page.locator("body")).to_have_attribute("data-pending", "0", timeout=15_000)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second wake-up resends nothing
    page.wait_for_timeout(1000)
    assert sorted(ServiceRating.objects.values_list("level", flat=True)) == [2, 5]


def test_the_assistance_bell_reaches_a_staff_page_within_a_second(
    kiosk, browser, live_server, screenshot
):
    page, point = kiosk
    head = make_user("point_head", roles={Role.UNIT_HEAD: point})
    desk_context = browser.new_context()
    desk = desk_context.new_page()
    sign_in(desk, live_server.url, head)
    desk.goto(f"{live_server.url}/feedback/desk/")
    expect(desk.locator("#desk")).to_have_attribute("data-connected", "true")

    started = time.monotonic()
    page.locator("#help").click()
    expect(desk.locator("#alert-banner")).to_be_visible(timeout=1000)
    elapsed = time.monotonic() - started

    assert elapsed < 1.0, elapsed
    assert AssistanceCall.objects.count() == 1
    screenshot(desk, "assistance-desk")
    desk_context.close()


def test_an_official_signs_a_commitment(
    page: Page, live_server, transactional_db, cast, screenshot
):
    version = load_code_seed(actor=None, unit=cast.city, slug="hanoi-522").published_version()
    campaign = start_campaign(
        actor=cast.city_coordinator,
        version=version,
        unit=cast.city,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    sign_in(page, live_server.url, cast.a.official_user)
    page.goto(f"{live_server.url}/codes/commitments/")
    page.locator(f"a[href='/codes/campaigns/{campaign.pk}/sign/']").first.click()
    screenshot(page, "commitment-sign")

    page.locator("input[name=confirm]").check()
    page.locator("main form button[type=submit]").click()

    commitment = Commitment.objects.get()
    assert commitment.official == cast.a.official and commitment.campaign == campaign
    page.goto(f"{live_server.url}/codes/campaigns/{campaign.pk}/sign/")
    expect(page.locator(".message-success")).to_be_visible()


def test_a_citizen_follows_a_public_report_by_its_receipt_code(
    page: Page, live_server, transactional_db, cast, media, screenshot
):
    market = make_place("Chợ Quảng An", unit=cast.a.ward, kind=PlaceKind.MARKET)
    category, _ = ReportCategory.objects.get_or_create(
        code="littering", defaults={"name": "Xả rác", "name_en": "Littering"}
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/feedback/place/{market.pk}/")
    screenshot(page, "public-report")
    page.locator("select[name=category]").select_option(str(category.pk))
    page.locator("textarea[name=description]").fill("Vứt rác ở cổng chợ")
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#receipt-secret")).to_be_visible()
    report = PublicReport.objects.get()
    assert report.place == market
    expect(page.locator("#receipt-code")).to_have_text(report.receipt)

    # Later, on another device: only the receipt code, typed loosely.
    other = page.context.browser.new_context(locale="vi-VN").new_page()
    other.goto(f"{live_server.url}/feedback/r/")
    other.locator("input[name=code]").fill(report.receipt.replace("-", "").lower())
    other.locator("main form button[type=submit]").click()
    expect(other).to_have_url(re.compile(re.escape(f"/feedback/r/{report.receipt}/")))
    expect(other.locator("main")).to_contain_text(report.receipt)
    screenshot(other, "public-receipt")
    other.context.close()
