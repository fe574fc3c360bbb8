"""A school's report in real Chromium at a phone's width (M8, M9): the district opens a round
for the school, the school sends two files with descriptions and a score, confirms, cancels
and confirms again."""
import os
import tempfile
import time

from selenium.webdriver.common.by import By

from conftest import BASE, DEMO_PASSWORD, sign_in, submit
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


def test_a_school_sends_two_files_scores_confirms_cancels_and_confirms_again(browser):
    # The district: an indicator with half-year rounds, round 1 open for the demo school (unit 1).
    number = define_indicator(browser, 6, "2")
    submit(browser, browser.find_element(By.ID, f"open-{number}-1"))
    submit(browser, browser.find_element(By.ID, f"gear-{number}-1"))
    browser.find_element(By.ID, "unit-1").click()
    submit(browser, browser.find_element(By.ID, "save-units"))
    browser.delete_all_cookies()

    # The school: the round's "รายงาน" button, once intake has the round.
    sign_in(browser, "demo-school", DEMO_PASSWORD)
    choose_year(browser)
    submit(browser, wait_for(browser, f"report-{number}-1", BASE + "/indicators"))
    assert "รอบ 6 เดือน" in browser.page_source and "กำแพงเพชรพิทยาคม" in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360

    folder = tempfile.mkdtemp()
    paths = []
    for name in ("แผนปฏิบัติการ.pdf", "ภาพกิจกรรม.pdf"):
        paths.append(os.path.join(folder, name))
        with open(paths[-1], "wb") as f:
            f.write(PDF + name.encode())
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
