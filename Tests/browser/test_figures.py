"""The figures in real Chromium at a phone's width (M6, M11, M19, M20): a round's counters on
the indicator list, the all-rounds matrix and its "เปิด", the annual summary, the public
statistics; each page kept as a screenshot in KPI_TEST_ARTIFACTS (run/test/artifacts)."""
import base64
import io
import os
import re
import time
import zipfile

import openpyxl

import requests

from selenium.webdriver.common.by import By

from conftest import BASE, DEMO_PASSWORD, csrf_of, sign_in, signed_in, submit
from test_catalogue import PDF, choose_year
from test_reports import open_round_for_the_demo_school

ARTIFACTS = os.environ.get("KPI_TEST_ARTIFACTS", os.path.join(os.path.dirname(__file__), "..", "..", "run", "test", "artifacts"))


def keep(browser, name):
    """A screenshot of the whole page, beyond the phone's screen, for people to look at."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000), "scale": 1}})
    with open(os.path.join(ARTIFACTS, name + ".png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def until_text(browser, url, element_id, wanted, seconds=20):
    """Reloads `url` until the element's text contains `wanted`: statistics learns from events."""
    deadline = time.time() + seconds
    while True:
        browser.get(url)
        found = browser.find_elements(By.ID, element_id)
        text = found[0].text if found else ""
        if wanted in text or time.time() > deadline:
            assert wanted in text, f"{element_id} on {url} says {text!r}, not {wanted!r}"
            return found[0]
        time.sleep(0.5)


def test_counters_matrix_and_summary_follow_a_report_and_its_review(browser):
    # The district opens round 1 for the demo school; the school sends 4; the district gives 3.
    number = open_round_for_the_demo_school(browser, 5, "2")
    path = os.path.join(ARTIFACTS, "evidence.pdf")
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(path, "wb") as f:
        f.write(PDF)
    browser.find_element(By.ID, "description1").send_keys("รายงานผลการดำเนินงาน")
    browser.find_element(By.ID, "file1").send_keys(path)
    browser.find_element(By.ID, "selfScore").send_keys("4")
    browser.find_element(By.ID, "confirm-yes").click()
    submit(browser, browser.find_element(By.ID, "submit-report"))
    report_url = browser.current_url.split("?")[0]
    browser.delete_all_cookies()

    sign_in(browser, "demo-district", DEMO_PASSWORD)
    choose_year(browser)
    # B3: the reviewer's home page says reports wait, and leads to the queue.
    until_text(browser, BASE + "/", "waiting-review", "รายงานที่รอตรวจ:")
    assert browser.find_element(By.CSS_SELECTOR, "#waiting-review a").get_attribute("href").endswith("/reviews")
    deadline = time.time() + 20
    while not browser.find_elements(By.ID, "review-form") and time.time() < deadline:
        browser.get(f"{report_url}?unit=1")
        time.sleep(0.3)
    browser.find_element(By.ID, "reviewScore").send_keys("3")
    submit(browser, browser.find_element(By.ID, "submit-review"))
    assert browser.find_element(By.ID, "review-result").text == "ตรวจสอบข้อมูลแล้ว ผลการประเมิน : 3 คะแนน"

    # M6: "รอบ 6 เดือน -- [1/1/1] --- [4, 3]" once statistics has both events.
    row = until_text(browser, BASE + "/indicators", f"indicator-{number}", "[1/1/1] --- [4, 3]")
    assert "ตรงเวลา 1 · ล่าช้า 0" in row.text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    keep(browser, "indicator-list-counters")

    # M11: the unit's cell with the school's and the reviewer's scores and names; "เปิด" opens the report.
    submit(browser, browser.find_element(By.ID, f"matrix-{number}"))
    cell = browser.find_element(By.CSS_SELECTOR, "#unit-1 td")
    assert "★ - 4.00 - นายครูสาธิต รายงานข้อมูล" in cell.text and "✓ - 3.00 - นายศึกษานิเทศก์ สาธิต" in cell.text
    assert "band-2" in cell.get_attribute("class")  # 3 reaches the second of [2] --> [3] --> [4] --> [5]
    assert "รอส่ง" in browser.find_element(By.CSS_SELECTOR, "#unit-1 td:nth-of-type(2)").text or \
        browser.find_element(By.CSS_SELECTOR, "#unit-1 td:nth-of-type(2)").text == "—"
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    keep(browser, "matrix")
    submit(browser, cell.find_element(By.LINK_TEXT, "เปิด"))
    assert browser.find_element(By.ID, "evidence-1").text == "evidence.pdf"
    assert "รายงานผลการดำเนินงาน" in browser.page_source

    # M19: the area's summary, filtered to this indicator's D1; the school's line and the indicator's.
    browser.get(BASE + "/summary")
    assert browser.find_element(By.ID, "menu-summary").text == "สรุปรายงานผล"
    line = browser.find_element(By.ID, f"indicator-{number}")
    assert "1/1/1" in line.text and "3.00" in line.text
    assert "band-2" in line.find_element(By.CSS_SELECTOR, "td:last-child").get_attribute("class")
    assert browser.find_element(By.ID, "unit-1")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    keep(browser, "annual-summary")

    # B6: the matrix and the summary as CSV (Thai intact, พ.ศ. dates) and XLSX (a workbook).
    session, _ = signed_in("demo-district", DEMO_PASSWORD)
    session.post(BASE + "/year", data={"csrf": csrf_of(session.get(BASE + "/year").text), "year": "2567"})
    indicator = browser.find_element(By.ID, f"indicator-{number}").find_element(By.TAG_NAME, "a").get_attribute("href").split("/")[-2]
    got = session.get(f"{BASE}/indicators/{indicator}/matrix.csv")
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("text/csv")
    text = got.content.decode("utf-8-sig")
    assert "กำแพงเพชรพิทยาคม" in text and "ตรวจแล้ว" in text and "นายครูสาธิต รายงานข้อมูล" in text
    assert re.search(r"\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d", text), "dates in พ.ศ."
    book = session.get(BASE + "/summary.xlsx")
    assert book.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with zipfile.ZipFile(io.BytesIO(book.content)) as archive:
        assert archive.testzip() is None
    # Opened as a spreadsheet program opens it (openpyxl): the units' sheet, then the indicators'.
    workbook = openpyxl.load_workbook(io.BytesIO(book.content))
    units, indicators = workbook.worksheets
    assert units["A1"].value == "รหัสหน่วยงาน"
    assert ("กำแพงเพชรพิทยาคม", True) in [(row[1], row[3] >= 1) for row in units.iter_rows(min_row=2, values_only=True) if row[0] == 1]
    assert any(row[0] == number for row in indicators.iter_rows(min_row=2, values_only=True))
    assert "attachment" in book.headers["Content-Disposition"]


def test_public_statistics_without_sign_in_are_cacheable(browser):
    # M20: the nation by area, an area by indicator and unit; no one signed in. The page opens
    # on the newest year with figures (other tests make later years); the year links lead on.
    browser.get(BASE + "/statistics")
    assert browser.find_element(By.ID, "menu-statistics")
    browser.get(BASE + "/statistics?year=2567")
    assert browser.find_element(By.CSS_SELECTOR, "#statistics-chart svg")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#area-74 a"))
    assert "74" in browser.find_element(By.ID, "statistics-scope").text
    assert browser.find_element(By.ID, "statistics-units")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    keep(browser, "public-statistics-area")
    # No name of a person on it: the demo accounts' names never appear.
    assert "ครูสาธิต" not in browser.page_source and "ศึกษานิเทศก์ สาธิต" not in browser.page_source

    # Cacheable: an ETag, public for a minute, 304 when the browser has it; the JSON API alike.
    page = requests.get(BASE + "/statistics?year=2567&area=74")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "public, max-age=60" and page.headers["ETag"]
    again = requests.get(BASE + "/statistics?year=2567&area=74", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and not again.content
    api = requests.get(f"{BASE}/api/v1/statistics/figures?year=2567&area=74")
    assert api.status_code == 200 and api.json()["areaCode"] == 74 and api.headers["ETag"]
    assert requests.get(f"{BASE}/api/v1/statistics/figures?year=x").status_code == 400


def test_open_pages_update_by_themselves(browser):
    # B9: the school's indicator list is open; the school sends the report from elsewhere (another
    # device: here a plain HTTP session); the open page shows the new counters without a reload.
    number = open_round_for_the_demo_school(browser, 7, "1")
    report_url = browser.current_url.split("?")[0]
    browser.get(BASE + "/indicators")
    row = browser.find_element(By.ID, f"indicator-{number}")
    assert "[0/0/1]" in row.text
    # The stream is open (the page shows that it updates by itself); this page object stays.
    deadline = time.time() + 10
    while browser.find_element(By.ID, "live").get_attribute("hidden") is not None and time.time() < deadline:
        time.sleep(0.2)
    assert browser.find_element(By.ID, "live").get_attribute("hidden") is None
    browser.execute_script("window.__kpiSamePage = true")

    session, _ = signed_in("demo-school", DEMO_PASSWORD)
    session.post(BASE + "/year", data={"csrf": csrf_of(session.get(BASE + "/year").text), "year": "2567"})
    page = session.get(report_url).text
    action = re.search(r'<form method="post" action="([^"]+)"[^>]*id="report-form"', page).group(1)
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    sent = session.post(BASE + action, data={"csrf": csrf_of(page), "version": version, "has1": "1", "description1": "ผลงาน",
                                             "selfScore": "5", "confirm": "yes"},
                        files={"file1": ("live.pdf", PDF, "application/pdf")})
    assert sent.status_code == 200, sent.text[:500]

    deadline = time.time() + 30
    while "[1/0/1]" not in browser.find_element(By.ID, f"indicator-{number}").text and time.time() < deadline:
        time.sleep(0.3)
    assert "[1/0/1] --- [5, -]" in browser.find_element(By.ID, f"indicator-{number}").text
    assert browser.execute_script("return window.__kpiSamePage === true"), "the page was swapped in place, not reloaded"
    assert browser.find_element(By.ID, "live").text.startswith("ปรับปรุงล่าสุดเมื่อ")
    keep(browser, "indicator-list-live")

    # The stream itself: server-sent events, never cached, open at once.
    with requests.get(BASE + "/live/figures?year=2567&area=74", stream=True, timeout=10) as stream:
        assert stream.status_code == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.headers["Cache-Control"] == "no-store"
        assert next(stream.iter_content(chunk_size=None)).startswith(b"retry: 5000")
