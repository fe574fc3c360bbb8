"""B3 in real Chromium at a phone's width: a school whose round is overdue is told on its home
page and in its notices (การแจ้งเตือน), follows the notice to the report, and marks it read.
The browser tests' statistics runs the reminder schedule every 2 s."""
import time

from selenium.webdriver.common.by import By

from conftest import BASE, DEMO_PASSWORD, sign_in, submit
from test_catalogue import choose_year, define_indicator
from test_figures import keep


def test_a_school_is_reminded_of_an_overdue_round(browser):
    # The district opens round 1 for the demo school, due 15 March 2024 (long past), cut-off in 2099.
    number = define_indicator(browser, 9, "1")
    submit(browser, browser.find_element(By.ID, f"open-{number}-1"))
    submit(browser, browser.find_element(By.ID, f"gear-{number}-1"))
    browser.find_element(By.ID, "unit-1").click()
    submit(browser, browser.find_element(By.ID, "save-units"))
    for field, day in (("opensOn", "2023-10-01"), ("dueOn", "2024-03-15"), ("cutoffOn", "2099-03-31")):
        browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, field), day)
    submit(browser, browser.find_element(By.ID, "save-dates"))
    browser.delete_all_cookies()

    sign_in(browser, "demo-school", DEMO_PASSWORD)
    choose_year(browser)
    deadline = time.time() + 40
    while True:
        browser.get(BASE + "/notices")
        mine = [li for li in browser.find_elements(By.CSS_SELECTOR, "#notice-list > li") if f"{number} " in li.text]
        if mine or time.time() > deadline:
            break
        time.sleep(1)
    assert mine, "the overdue round's notice reached the school"
    notice = mine[0]
    assert "เลยกำหนดส่ง 15 มี.ค. 2567" in notice.text and "ใหม่" in notice.text
    assert f"/reports/" in notice.find_element(By.TAG_NAME, "a").get_attribute("href")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    keep(browser, "notices")

    # The home page counts what is unread and leads to the notices.
    browser.get(BASE + "/")
    assert browser.find_element(By.CSS_SELECTOR, "#unread-notices a").get_attribute("href").endswith("/notices")
    assert "ข้อความแจ้งเตือนที่ยังไม่ได้อ่าน:" in browser.find_element(By.ID, "unread-notices").text

    # Read: the notice leads to its report page; then all are marked read.
    browser.get(BASE + "/notices")
    notice = [li for li in browser.find_elements(By.CSS_SELECTOR, "#notice-list > li") if f"{number} " in li.text][0]
    submit(browser, notice.find_element(By.TAG_NAME, "a"))
    assert "/reports/" in browser.current_url and browser.find_element(By.ID, "report-form")
    browser.get(BASE + "/notices")
    submit(browser, browser.find_element(By.ID, "read-all"))
    assert browser.find_element(By.ID, "notices-marked")
    assert not browser.find_elements(By.ID, "unread-count")
    assert not browser.find_elements(By.CSS_SELECTOR, "#notice-list .badge")
    browser.get(BASE + "/")
    assert not browser.find_elements(By.ID, "unread-notices")
