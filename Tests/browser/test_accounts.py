import pathlib
import random
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, DEMO_PASSWORD, national_id, sign_in, submit


def register(browser, username, password):
    browser.get(BASE + "/register?area=74")  # the picker lists the units of the chosen area office
    values = {
        "nationalId": national_id(), "title": "นางสาว", "firstNameTh": "มาลี", "lastNameTh": "ทดสอบระบบ",
        "firstNameEn": "Malee", "lastNameEn": "Test", "position": "ครูชำนาญการ", "officePhone": "055-711-111",
        "mobile": "089-123-4567", "province": "กำแพงเพชร", "email": "malee@example.org", "username": username,
    }
    for key, value in values.items():
        browser.find_element(By.ID, key).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "input[name=staffKind][value=civil_servant]").click()
    Select(browser.find_element(By.ID, "unitCode")).select_by_value("7")
    browser.find_element(By.ID, "password").send_keys(password)
    form = pathlib.Path(tempfile.mkdtemp()) / "request.pdf"
    form.write_bytes(b"%PDF-1.4\n% signed rights-request form\n%%EOF\n")
    browser.find_element(By.ID, "form").send_keys(str(form))
    submit(browser, browser.find_element(By.ID, "register-submit"))


def test_register_approve_sign_in_choose_year_sign_out(browser, admin_browser):
    username = f"malee{random.randint(10000, 99999)}"
    password = "ครูมาลี-รายงาน-2567"
    register(browser, username, password)
    assert browser.find_element(By.ID, "registered-note").is_displayed()

    # The administrator finds the pending account, opens the attached form and approves.
    admin_browser.get(BASE + "/admin/users?status=pending&q=" + username)
    submit(admin_browser, admin_browser.find_element(By.PARTIAL_LINK_TEXT, "มาลี"))
    assert admin_browser.find_element(By.ID, "account-status").text.startswith("รออนุมัติ")
    assert admin_browser.find_element(By.ID, "open-form").get_attribute("href").endswith("/form")
    submit(admin_browser, admin_browser.find_element(By.ID, "approve"))
    assert admin_browser.find_element(By.ID, "account-status").text.startswith("Enabled")

    sign_in(browser, username, password)
    assert browser.current_url.endswith("/year")
    submit(browser, browser.find_element(By.ID, "choose-2567"))
    assert "2567" in browser.find_element(By.ID, "chosen-year").text
    assert "xxxxx" in browser.page_source  # own national ID is masked
    submit(browser, browser.find_element(By.XPATH, "//button[text()='ออกจากระบบ']"))
    assert browser.current_url.endswith("/signin")
    browser.get(BASE + "/year")
    assert browser.current_url.endswith("/signin")


def test_wrong_password_is_refused_in_thai(browser):
    sign_in(browser, "demo-school", "not-the-password-at-all")
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in browser.find_element(By.ID, "signin-error").text


def test_pending_account_cannot_sign_in(browser):
    username = f"pending{random.randint(10000, 99999)}"
    password = "รอการอนุมัติ-2567"
    register(browser, username, password)
    sign_in(browser, username, password)
    assert browser.find_element(By.ID, "pending-note").is_displayed()
    browser.get(BASE + "/year")
    assert browser.current_url.endswith("/signin")


def test_rights_change_hides_a_menu(browser, admin_browser):
    admin_browser.get(BASE + "/admin/users?q=demo-district")
    submit(admin_browser, admin_browser.find_element(By.PARTIAL_LINK_TEXT, "ศึกษานิเทศก์"))
    user_page = admin_browser.current_url

    def set_administer(on):
        admin_browser.get(user_page)
        box = admin_browser.find_element(By.CSS_SELECTOR, "input[name=right][value=administer]")
        if box.is_selected() != on:
            box.click()
        submit(admin_browser, admin_browser.find_element(By.ID, "save-rights"))
        assert "บันทึกสิทธิ์แล้ว" in admin_browser.page_source

    set_administer(True)
    sign_in(browser, "demo-district", DEMO_PASSWORD)
    browser.get(BASE + "/")
    assert browser.find_elements(By.ID, "menu-admin-users")
    set_administer(False)
    browser.get(BASE + "/")  # the next request already sees the change
    assert not browser.find_elements(By.ID, "menu-admin-users")
    browser.get(BASE + "/admin/users")
    assert "ไม่มีสิทธิ์" in browser.page_source


def test_pages_fit_a_phone_and_stay_light(browser):
    browser.get(BASE + "/register")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360
    # Unit lists are paged and searched (the test database holds thousands of test units).
    for path in ("/", "/signin", "/register?area=74", "/units", "/units?area=74&page=2"):
        browser.get(BASE + path)
        size = browser.execute_script("return document.documentElement.outerHTML.length")
        assert size < 100_000


def test_forgotten_password_request_reset_and_forced_change(browser, admin_browser):
    username = f"reset{random.randint(10000, 99999)}"
    register(browser, username, "รหัสเดิม-ก่อนลืม-1")
    admin_browser.get(BASE + "/admin/users?status=pending&q=" + username)
    submit(admin_browser, admin_browser.find_element(By.PARTIAL_LINK_TEXT, "มาลี"))
    submit(admin_browser, admin_browser.find_element(By.ID, "approve"))

    browser.get(BASE + "/forgot")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.CSS_SELECTOR, "input[name=reason][value=forgot]").click()
    submit(browser, browser.find_element(By.ID, "send-request"))
    assert browser.find_element(By.ID, "request-sent").is_displayed()

    admin_browser.get(BASE + "/admin/password-requests")
    submit(admin_browser, admin_browser.find_element(By.LINK_TEXT, username))
    submit(admin_browser, admin_browser.find_element(By.ID, "reset-password"))
    temporary = admin_browser.find_element(By.CSS_SELECTOR, "p.note").text.rsplit(": ", 1)[1]

    sign_in(browser, username, temporary)
    assert browser.current_url.endswith("/password")  # nothing else opens until it is changed
    browser.get(BASE + "/year")
    assert browser.current_url.endswith("/password")
    browser.find_element(By.ID, "current").send_keys(temporary)
    browser.find_element(By.ID, "new").send_keys("รหัสใหม่-ของฉันเอง-2")
    submit(browser, browser.find_element(By.ID, "change-password"))
    assert browser.find_element(By.ID, "password-changed").is_displayed()
    browser.get(BASE + "/year")
    assert browser.current_url.endswith("/year")


def test_english_switch(browser):
    browser.get(BASE + "/signin")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "th"
    submit(browser, browser.find_element(By.ID, "lang-switch"))
    browser.get(BASE + "/signin")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.ID, "signin-submit").text == "Sign in"
    assert browser.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Password"
    submit(browser, browser.find_element(By.ID, "lang-switch"))
    browser.get(BASE + "/signin")
    assert browser.find_element(By.ID, "signin-submit").text == "เข้าสู่ระบบ"


def test_units_are_searched_and_paged(browser):
    browser.get(BASE + "/units")
    browser.find_element(By.ID, "q").send_keys("วชิรปราการ")
    submit(browser, browser.find_element(By.ID, "search-units"))
    page = browser.page_source
    assert "วชิรปราการวิทยาคม" in page and "กำแพงเพชรพิทยาคม" not in page
    browser.get(BASE + "/units?area=74&size=10")  # the area's 34 units, ten a page
    submit(browser, browser.find_element(By.ID, "page-next"))
    assert "/units?area=74&size=10&page=2" in browser.current_url and browser.find_elements(By.ID, "page-prev")
    assert "หน้า 2 /" in browser.page_source
