"""The dashboard in a real browser: charts drawn, tables beside them, a chart's CSV downloaded,
no Content-Security-Policy violation, readable at 640 px."""

from __future__ import annotations

import csv
import io

import pytest

from claims.dashboard.queries import Period
from claims.models import Claim
from tests.claims.dashboard import history
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_editor_opens_the_dashboard_and_downloads_a_charts_csv(browser_page, live_server, editor,
                                                                  editor2, reviewer):
    history.build(erin=editor, eddie=editor2, rita=reviewer)
    page = browser_page
    login(page, live_server, editor)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Dashboard").click()
    page.select_option("#period-weeks", "52")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/dashboard/?weeks=52")
    assert page.locator("svg.chart").count() == 9
    assert page.locator("#throughput table tbody tr").count() == 52

    with page.expect_download() as download_info:
        page.locator("#throughput").get_by_role("link", name="Download CSV of Throughput").click()
    download = download_info.value
    assert download.suggested_filename.startswith("throughput-52w-")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["Week starting", "Logged", "Published", "Rejected"]
    period = Period.ending(weeks=52)
    logged = Claim.objects.filter(created_at__gte=period.start, created_at__lt=period.end).count()
    assert len(rows) == 53 and sum(int(row[1]) for row in rows[1:]) == logged

    page.set_viewport_size({"width": 640, "height": 900})
    chart = page.locator("#time-to-verdict svg.chart").bounding_box()
    assert 500 < chart["width"] <= 640  # scales to the column, never wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
