"""The indicator catalogue in real Chromium at a phone's width: a district controller defines
an indicator with half-year rounds, opens and closes a round; a school reporter sees no
controls and is refused."""
import os
import random
import time
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ADMIN_PASSWORD, BASE, DEMO_PASSWORD, csrf_of, sign_in, signed_in, submit


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


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(browser, slot, path):
    browser.find_element(By.ID, f"file-input-{slot}").send_keys(path)
    submit(browser, browser.find_element(By.ID, f"upload-{slot}"))


def define_indicator(browser, prefix, weight):
    """Signs in as the demo district's controller and defines an indicator with half-year
    rounds through the form; its number."""
    sign_in(browser, "demo-district", DEMO_PASSWORD)
    choose_year(browser)
    browser.get(BASE + "/indicators")
    submit(browser, browser.find_element(By.ID, "add-indicator"))
    number = f"{prefix}.{random.randint(100, 999)}"
    fill(browser, number, weight)
    submit(browser, browser.find_element(By.ID, "save-indicator"))
    return number


def test_define_an_indicator_with_half_year_rounds_and_an_attachment(browser):
    number = define_indicator(browser, 8, "3")
    assert "รอบ 6 เดือน" in browser.find_element(By.ID, f"indicator-{number}").text
    submit(browser, browser.find_element(By.ID, f"files-{number}"))

    folder = tempfile.mkdtemp()
    good = os.path.join(folder, "คำอธิบายตัวชี้วัด ม.1.pdf")
    with open(good, "wb") as f:
        f.write(PDF)
    bad = os.path.join(folder, "แบบฟอร์ม.pdf")  # a page named .pdf: refused by its bytes
    with open(bad, "wb") as f:
        f.write(b"<!doctype html><script>alert(1)</script>")
    upload(browser, "description", bad)
    assert "รับเฉพาะไฟล์ PDF" in browser.find_element(By.ID, "files-message").text
    upload(browser, "description", good)
    assert "แนบไฟล์แล้ว" in browser.find_element(By.ID, "files-message").text
    link = browser.find_element(By.CSS_SELECTOR, "#slot-description a[download]")
    assert link.text == "คำอธิบายตัวชี้วัด ม.1.pdf"
    assert not browser.find_elements(By.ID, "file-input-description")  # one description; the bin first
    href = link.get_attribute("href")

    # The download, as the browser would get it: the same bytes, an attachment, the Thai name.
    session, _ = signed_in("demo-district", DEMO_PASSWORD)
    session.post(BASE + "/year", data={"csrf": csrf_of(session.get(BASE + "/year").text), "year": "2567"})
    got = session.get(href)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment;") and "UTF-8''" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"

    # Saving the form again keeps the document; the list links it.
    browser.get(BASE + "/indicators")
    submit(browser, browser.find_element(By.ID, f"edit-{number}"))
    submit(browser, browser.find_element(By.ID, "save-indicator"))
    assert "เอกสารประกอบ (1)" in browser.find_element(By.ID, f"files-{number}").text

    # The red bin deletes it; the upload comes back.
    browser.get(href.rsplit("/", 1)[0])
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#slot-description button[id^=delete-]"))
    assert "ลบไฟล์แล้ว" in browser.find_element(By.ID, "files-message").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#slot-description a[download]")
    assert browser.find_elements(By.ID, "file-input-description")
    assert session.get(href).status_code == 404


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


def new_area_with_schools(count):
    """An area office of this test's own with `count` schools, added by the nation's
    administrator, so the counts below are this test's alone."""
    admin, _ = signed_in("admin", ADMIN_PASSWORD)
    area = random.randint(6_000_000, 6_099_999) * 100
    units = [(area, "district", "")] + [(area + i, "school", str(area)) for i in range(1, count + 1)]
    for code, kind, parent in units:
        token = csrf_of(admin.get(BASE + "/admin/units").text)
        r = admin.post(BASE + "/admin/units", data={"csrf": token, "code": str(code), "nameTh": f"หน่วยทดสอบ {code}",
                                                    "kind": kind, "areaCode": parent})
        assert "เพิ่มหน่วยงานแล้ว" in r.text, r.text[-500:]
    return admin, area, [code for code, _, _ in units]


def close_units(admin, codes):
    for code in codes:
        token = csrf_of(admin.get(BASE + "/admin/units").text)
        admin.post(BASE + f"/admin/units/{code}/deactivate", data={"csrf": token})


def test_select_all_schools_of_a_round_and_remove_one(admin_browser):
    admin, area, codes = new_area_with_schools(32)
    try:
        browser = admin_browser
        choose_year(browser)
        browser.get(BASE + f"/indicators?area={area}")
        # The administrator's menu is the longest; it wraps rather than widen the page.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
        submit(browser, browser.find_element(By.ID, "add-indicator"))
        number = f"8.{random.randint(100, 999)}"
        assert str(area) in browser.find_element(By.ID, "area-name").text  # the area the list showed
        fill(browser, number, "1")
        submit(browser, browser.find_element(By.ID, "save-indicator"))
        browser.get(BASE + f"/indicators?area={area}")
        submit(browser, browser.find_element(By.ID, f"open-{number}-1"))
        submit(browser, browser.find_element(By.ID, f"gear-{number}-1"))
        assert browser.find_element(By.ID, "round-label").text == "รอบ 6 เดือน"
        assert browser.find_element(By.ID, "no-department").text == "No department found."
        submit(browser, browser.find_element(By.ID, "select-all"))
        assert browser.find_element(By.ID, "assigned-count").text == "32"
        submit(browser, browser.find_element(By.ID, f"remove-{codes[1]}"))
        assert browser.find_element(By.ID, "assigned-count").text == "31"
        # B1: a cut-off in the past closes the round to reports by itself; one school is given more time.
        for field, day in (("opensOn", "2023-10-01"), ("dueOn", "2024-03-15"), ("cutoffOn", "2024-03-31")):
            browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, field), day)
        submit(browser, browser.find_element(By.ID, "save-dates"))
        assert "ปิดรับ 31 มี.ค. 2567" in browser.find_element(By.ID, "round-dates").text
        assert browser.find_elements(By.ID, "past-cutoff")
        browser.find_element(By.ID, "ext-unit").send_keys(str(codes[2]))
        browser.execute_script("arguments[0].value = '2024-04-15'", browser.find_element(By.ID, "ext-until"))
        browser.find_element(By.ID, "ext-reason").send_keys("น้ำท่วมโรงเรียน")
        submit(browser, browser.find_element(By.ID, "grant-extension"))
        assert "น้ำท่วมโรงเรียน" in browser.page_source and "ถึง 15 เม.ย. 2567" in browser.page_source
        # The round's counters (statistics' figures, learned from the assignment's event): 31 assigned, none sent.
        deadline = time.time() + 20
        while True:
            browser.get(BASE + f"/indicators?area={area}")
            line = browser.find_element(By.ID, f"indicator-{number}").text
            if "[0/0/31] --- [-, -]" in line or time.time() > deadline:
                break
            time.sleep(0.5)
        assert "[0/0/31] --- [-, -]" in line
    finally:
        close_units(admin, codes)


def test_a_controller_closes_and_reopens_a_year_and_copies_it_into_the_next(browser):
    sign_in(browser, "demo-district", DEMO_PASSWORD)
    choose_year(browser)
    browser.get(BASE + "/indicators")
    submit(browser, browser.find_element(By.ID, "add-indicator"))
    number = f"7.{random.randint(100, 999)}"
    fill(browser, number, "3")
    submit(browser, browser.find_element(By.ID, "save-indicator"))

    browser.get(BASE + "/year")
    submit(browser, browser.find_element(By.ID, "close-year-2567"))
    assert browser.find_elements(By.ID, "closed-2567")
    browser.get(BASE + "/indicators")
    submit(browser, browser.find_element(By.ID, f"edit-{number}"))
    submit(browser, browser.find_element(By.ID, "save-indicator"))
    assert "ปิดแล้ว" in browser.page_source  # a closed year changes nothing
    browser.get(BASE + "/year")
    submit(browser, browser.find_element(By.ID, "open-year-2567"))
    assert not browser.find_elements(By.ID, "closed-2567")

    # B7: the whole year into 2568 in one step; 2568 then lists it.
    submit(browser, browser.find_element(By.ID, "copy-year-2567"))
    choose_year(browser, "2568")
    browser.get(BASE + "/indicators")
    assert browser.find_elements(By.ID, f"indicator-{number}")
    # Once only.
    browser.get(BASE + "/year")
    submit(browser, browser.find_element(By.ID, "copy-year-2567"))
    assert "มีตัวชี้วัดของเขตพื้นที่นี้แล้ว" in browser.page_source


def test_uploads_through_the_gateway_are_checked_and_bounded():
    """The gateway reads an upload as it arrives: without the form's token, without a file, past
    the size limit, or from someone without the files right, it is refused with a Thai page."""
    session, _ = signed_in("demo-district", DEMO_PASSWORD)
    session.post(BASE + "/year", data={"csrf": csrf_of(session.get(BASE + "/year").text), "year": "2567"})
    number = f"7.{random.randint(100, 999)}"
    token = csrf_of(session.get(BASE + "/indicators/new").text)
    r = session.post(BASE + "/indicators/new", data={"csrf": token, "number": number, "nameTh": "ตัวชี้วัดทดสอบไฟล์",
                                                     "typeCode": "count", "weight": "1", "roundMode": "once"})
    page = session.get(BASE + "/indicators").text
    indicator = page.split(f'id="files-{number}"')[0].rsplit('href="/indicators/', 1)[1].split("/")[0]
    url = BASE + f"/indicators/{indicator}/files"
    token = csrf_of(session.get(url).text)

    r = session.post(url, data={"csrf": "wrong", "slot": "other"}, files={"file": ("a.pdf", PDF, "application/pdf")})
    assert r.status_code == 403
    r = session.post(url, data={"csrf": token, "slot": "other"}, files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 422 and "กรุณาเลือกไฟล์" in r.text
    big = PDF + b" " * (20 * 1024 * 1024)
    r = session.post(url, data={"csrf": token, "slot": "other"}, files={"file": ("ใหญ่.pdf", big, "application/pdf")})
    assert r.status_code == 413 and "ใหญ่เกิน 20 MB" in r.text
    assert "ใหญ่.pdf" not in session.get(url).text

    school, _ = signed_in("demo-school", DEMO_PASSWORD)
    school.post(BASE + "/year", data={"csrf": csrf_of(school.get(BASE + "/year").text), "year": "2567"})
    school_page = school.get(url).text
    assert "file-input-" not in school_page  # no upload form without the right
    r = school.post(url, data={"csrf": csrf_of(school_page), "slot": "other"}, files={"file": ("a.pdf", PDF, "application/pdf")})
    assert r.status_code == 403
