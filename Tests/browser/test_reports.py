"""A school's report and its review in real Chromium at a phone's width (M8, M9, M10, M16):
the district opens a round for the school, the school sends two files with descriptions and a
score, confirms, cancels and confirms again; the reviewer scores 3, the school sees the result,
the reviewer cancels the review."""
import base64
import io
import os
import tempfile
import time
import zipfile

from selenium.webdriver.common.by import By

from conftest import BASE, DEMO_PASSWORD, csrf_of, sign_in, signed_in, submit
from test_catalogue import PDF, choose_year, define_indicator


def wait_for(browser, element_id, url, seconds=20):
    """Reloads `url` until `element_id` is on it: intake learns catalogue's changes from events."""
    deadline = time.time() + seconds
    while True:
        browser.get(url)
        found = browser.find_elements(By.ID, element_id)
        if found or time.time() > deadline:
            assert found, f"{element_id} never appeared on {url}"
            return found[0]
        time.sleep(0.5)


def open_round_for_the_demo_school(browser, prefix, weight):
    """The district defines an indicator with half-year rounds and opens round 1 for the demo
    school (unit 1); then the school signs in and opens the round's report page once intake has
    the round. The indicator's number."""
    number = define_indicator(browser, prefix, weight)
    submit(browser, browser.find_element(By.ID, f"open-{number}-1"))
    submit(browser, browser.find_element(By.ID, f"gear-{number}-1"))
    browser.find_element(By.ID, "unit-1").click()
    submit(browser, browser.find_element(By.ID, "save-units"))
    browser.delete_all_cookies()
    sign_in(browser, "demo-school", DEMO_PASSWORD)
    choose_year(browser)
    submit(browser, wait_for(browser, f"report-{number}-1", BASE + "/indicators"))
    return number


def test_a_school_reports_and_a_reviewer_scores_it(browser):
    # The district opens round 1 for the demo school; the school's "รายงาน" button.
    number = open_round_for_the_demo_school(browser, 6, "2")
    assert "รอบ 6 เดือน" in browser.page_source and "กำแพงเพชรพิทยาคม" in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360

    folder = tempfile.mkdtemp()
    paths = [os.path.join(folder, "แผนปฏิบัติการ.pdf"), os.path.join(folder, "ภาพกิจกรรม.pdf")]
    with open(paths[0], "wb") as f:
        f.write(PDF + "แผนปฏิบัติการ.pdf".encode())
    # The second a real PDF with Thai text, as Chromium prints a page (reviewers search its text).
    report_page = browser.current_url
    browser.get("data:text/html;charset=utf-8,<p>บันทึกโครงการส่งเสริมนิสัยรักการอ่านประจำปี 2567</p>")
    with open(paths[1], "wb") as f:
        f.write(base64.b64decode(browser.print_page()))
    browser.get(report_page)
    browser.find_element(By.ID, "description1").send_keys("แผนปฏิบัติการประจำปี")
    browser.find_element(By.ID, "file1").send_keys(paths[0])
    browser.find_element(By.ID, "description2").send_keys("ภาพกิจกรรมรักการอ่าน")
    browser.find_element(By.ID, "file2").send_keys(paths[1])
    browser.find_element(By.ID, "selfScore").send_keys("4")
    browser.find_element(By.ID, "confirm-yes").click()
    submit(browser, browser.find_element(By.ID, "submit-report"))

    # M9: the files as links with who sent them, the score, waiting for review.
    assert browser.find_element(By.ID, "report-state").text.startswith("ยืนยันข้อมูลแล้ว รอการตรวจสอบ")
    assert browser.find_element(By.ID, "evidence-1").text == "แผนปฏิบัติการ.pdf"
    assert browser.find_element(By.ID, "evidence-2").text == "ภาพกิจกรรม.pdf"
    assert "ผู้ส่งไฟล์ :" in browser.page_source and "ภาพกิจกรรมรักการอ่าน" in browser.page_source
    assert browser.find_element(By.ID, "self-score").text == "4"

    # Cancelled: a draft again, the files kept; confirmed again without sending them again.
    submit(browser, browser.find_element(By.ID, "cancel-confirmation"))
    assert browser.find_element(By.ID, "report-state").text.startswith("ยังไม่ยืนยันผลตัวชี้วัด")
    assert browser.find_element(By.ID, "evidence-2").text == "ภาพกิจกรรม.pdf"
    assert browser.find_element(By.ID, "selfScore").get_attribute("value") == "4"
    browser.find_element(By.ID, "confirm-yes").click()
    submit(browser, browser.find_element(By.ID, "submit-report"))
    assert browser.find_element(By.ID, "report-state").text.startswith("ยืนยันข้อมูลแล้ว รอการตรวจสอบ")
    history = browser.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
    # Two files, saved, confirmed; cancelled; saved, confirmed.
    assert len(history) == 7
    report_url = browser.current_url.split("?")[0]
    indicator = report_url.split("/reports/")[1].split("/")[0]
    browser.delete_all_cookies()

    # The reviewer (the district's staff of the indicator's workgroup): the queue, oldest first,
    # once review has learned of the confirmation; the report with everything the school sent.
    sign_in(browser, "demo-district", DEMO_PASSWORD)
    choose_year(browser)
    assert browser.find_element(By.ID, "menu-reviews").text == "ตรวจรายงาน"
    queue = f"{BASE}/reviews?indicator={indicator}&seq=1"
    wait_for(browser, "queue-1-1", queue)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360

    # B5: the round's evidence as one ZIP holding both files as sent.
    session, _ = signed_in("demo-district", DEMO_PASSWORD)
    session.post(BASE + "/year", data={"csrf": csrf_of(session.get(BASE + "/year").text), "year": "2567"})
    got = session.get(browser.find_element(By.ID, "download-zip").get_attribute("href"))
    assert got.status_code == 200 and got.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        assert archive.testzip() is None  # every CRC right
        names = sorted(archive.namelist())
        assert [n.split("/", 1)[1] for n in names] == ["1 - แผนปฏิบัติการ.pdf", "2 - ภาพกิจกรรม.pdf"]
        assert archive.read(names[0]) == PDF + "แผนปฏิบัติการ.pdf".encode()

    # The evidence searched by the text inside the Thai PDF (read after the upload).
    deadline = time.time() + 20
    while True:
        browser.get(queue)
        browser.find_element(By.ID, "evidence-q").send_keys("นิสัยรักการอ่าน")
        submit(browser, browser.find_element(By.ID, "search-evidence"))
        if browser.find_elements(By.ID, "found-1-1-2") or time.time() > deadline:
            break
        time.sleep(0.5)
    assert "ภาพกิจกรรม.pdf" in browser.find_element(By.ID, "found-1-1-2").text
    assert not browser.find_elements(By.ID, "found-1-1-1")
    browser.get(queue)
    submit(browser, browser.find_element(By.ID, "open-1-1"))
    assert browser.find_element(By.ID, "evidence-1").text == "แผนปฏิบัติการ.pdf"
    assert browser.find_element(By.ID, "self-score").text == "4"
    browser.find_element(By.ID, "reviewScore").send_keys("9")
    submit(browser, browser.find_element(By.ID, "submit-review"))
    assert "1 ถึง 5" in browser.find_element(By.ID, "err-score").text
    score = browser.find_element(By.ID, "reviewScore")
    score.clear()
    score.send_keys("3")
    browser.find_element(By.ID, "reviewComment").send_keys("หลักฐานครบถ้วน")
    submit(browser, browser.find_element(By.ID, "submit-review"))
    assert browser.find_element(By.ID, "review-result").text == "ตรวจสอบข้อมูลแล้ว ผลการประเมิน : 3 คะแนน"
    assert browser.find_element(By.ID, "cancel-review")
    browser.delete_all_cookies()

    # The school sees the result, and can no longer cancel its confirmation (once intake knows).
    sign_in(browser, "demo-school", DEMO_PASSWORD)
    choose_year(browser)
    deadline = time.time() + 20
    while True:
        browser.get(report_url)
        if browser.find_element(By.ID, "report-state").text.startswith("ตรวจสอบข้อมูลแล้ว") or time.time() > deadline:
            break
        time.sleep(0.5)
    assert browser.find_element(By.ID, "report-state").text.startswith("ตรวจสอบข้อมูลแล้ว")
    assert browser.find_element(By.ID, "review-result").text == "ตรวจสอบข้อมูลแล้ว ผลการประเมิน : 3 คะแนน"
    assert "หลักฐานครบถ้วน" in browser.find_element(By.ID, "review-comment").text
    assert not browser.find_elements(By.ID, "cancel-confirmation")
    browser.delete_all_cookies()

    # The reviewer cancels the review: waiting again, the form back.
    sign_in(browser, "demo-district", DEMO_PASSWORD)
    choose_year(browser)
    browser.get(f"{report_url}?unit=1")
    submit(browser, browser.find_element(By.ID, "cancel-review"))
    assert "ยกเลิกผลการตรวจแล้ว" in browser.find_element(By.ID, "report-done").text
    assert not browser.find_elements(By.ID, "review-result")
    assert browser.find_element(By.ID, "review-form")
    steps = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "table.history tbody tr")]
    assert any("ตรวจและให้คะแนน" in step for step in steps) and any("ยกเลิกผลการตรวจ" in step for step in steps)


def test_a_large_upload_announced_with_expect_100_continue_is_answered_at_once():
    """curl and other tools ask before sending a large body and otherwise wait a second."""
    import socket
    from urllib.parse import urlparse

    url = urlparse(BASE)
    with socket.create_connection((url.hostname, url.port), timeout=5) as s:
        s.sendall(b"POST /reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1 HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 30000000\r\nExpect: 100-continue\r\n\r\n")
        s.settimeout(0.5)
        first = s.recv(100)
    assert first.startswith(b"HTTP/1.1 100 Continue\r\n"), first
