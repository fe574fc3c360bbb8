"""The indicator catalogue in real Chromium at a phone's width: a district controller defines
an indicator with half-year rounds, opens and closes a round; a school reporter sees no
controls and is refused."""
import random

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, DEMO_PASSWORD, csrf_of, sign_in, signed_in, submit


def choose_year(browser, year="2567"):
    browser.get(BASE + "/year")
    submit(browser, browser.find_element(By.ID, f"choose-{year}"))


def fill(browser, number, weight):
    for key, value in {"number": number, "nameTh": "ร้อยละของนักเรียนที่อ่านออกเขียนได้",
                       "details": "นักเรียนชั้น ม.1 ทุกคน", "d1": "ด้านคุณภาพผู้เรียน",
                       "criteria": "[2] --> [3] --> [4] --> [5]"}.items():
        field = browser.find_element(By.ID, key)
        field.clear()
        field.send_keys(value)
    Select(browser.find_element(By.ID, "typeCode")).select_by_value("weighted_average_1_5")
    weight_field = browser.find_element(By.ID, "weight")
    weight_field.clear()
    weight_field.send_keys(weight)
    Select(browser.find_element(By.ID, "workgroupId")).select_by_value("5")
    Select(browser.find_element(By.ID, "roundMode")).select_by_value("half_year")


def test_controller_defines_an_indicator_and_opens_and_closes_a_round(browser):
    sign_in(browser, "demo-district", DEMO_PASSWORD)
    choose_year(browser)
    browser.get(BASE + "/indicators")
    submit(browser, browser.find_element(By.ID, "add-indicator"))
    number = f"9.{random.randint(100, 999)}"
    fill(browser, number, "0")
    submit(browser, browser.find_element(By.ID, "save-indicator"))
    assert browser.find_element(By.ID, "err-weight").text  # refused, with the reason
    assert browser.find_element(By.ID, "number").get_attribute("value") == number  # nothing typed is lost
    fill(browser, number, "2.5")
    submit(browser, browser.find_element(By.ID, "save-indicator"))

    row = browser.find_element(By.ID, f"indicator-{number}")
    assert "รอบ 6 เดือน" in row.text and "รอบ 12 เดือน" in row.text
    assert "โดย : กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา" in row.text
    submit(browser, browser.find_element(By.ID, f"open-{number}-1"))
    assert "(เปิด)" in browser.find_element(By.ID, f"indicator-{number}").text
    submit(browser, browser.find_element(By.ID, f"close-{number}-1"))
    assert "โรงเรียนจะรายงานผลในรอบนี้ไม่ได้" in browser.page_source  # asked first
    submit(browser, browser.find_element(By.ID, "confirm-close"))
    assert "(ปิด)" in browser.find_element(By.ID, f"indicator-{number}").text


def test_a_reporter_sees_no_controls_and_is_refused(browser):
    sign_in(browser, "demo-school", DEMO_PASSWORD)
    choose_year(browser)
    browser.get(BASE + "/indicators")
    assert "รายการตัวชี้วัด" in browser.page_source
    assert not browser.find_elements(By.ID, "add-indicator")
    assert not browser.find_elements(By.CSS_SELECTOR, "a[id^=edit-]")
    assert not browser.find_elements(By.CSS_SELECTOR, "button[id^=open-]")
    session, _ = signed_in("demo-school", DEMO_PASSWORD)
    session.post(BASE + "/year", data={"csrf": csrf_of(session.get(BASE + "/year").text), "year": "2567"})
    token = csrf_of(session.get(BASE + "/indicators").text)
    r = session.post(BASE + "/indicators/new", data={"csrf": token, "number": "9.9", "nameTh": "x", "typeCode": "count",
                                                     "weight": "1", "roundMode": "once"}, allow_redirects=False)
    assert r.status_code == 403
