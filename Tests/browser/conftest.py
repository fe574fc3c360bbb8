"""Real Chromium (Debian's chromium and chromedriver) against the running gateway that
`deploy/kpi test` started, at a phone's width."""
import os
import random
import re

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("KPI_TEST_GATEWAY", "http://127.0.0.1:18200")
# identity makes the first administrator with the operator's password, which must be changed at
# the first sign-in; whichever test run signs in first changes it to ADMIN_PASSWORD
# (Tests/IntegrationTests/Support/FirstAdmin.swift follows the same rule).
INITIAL_ADMIN_PASSWORD = os.environ["KPI_ADMIN_PASSWORD"]
ADMIN_PASSWORD = INITIAL_ADMIN_PASSWORD + ".2"
DEMO_PASSWORD = os.environ["KPI_DEMO_PASSWORD"]


def new_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=th"):
        options.add_argument(arg)
    # A phone's viewport (a desktop window cannot be made this narrow).
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 360, "height": 780, "pixelRatio": 2}})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    return driver


def csrf_of(html):
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    return match.group(1) if match else ""


def signed_in(username, password):
    s = requests.Session()
    token = csrf_of(s.get(BASE + "/signin").text)
    r = s.post(BASE + "/signin", data={"csrf": token, "username": username, "password": password}, allow_redirects=False)
    return s, r


@pytest.fixture(scope="session", autouse=True)
def first_administrator():
    """The first sign-in with the operator's password leads to the password change and nowhere
    else; after the change the administrator's pages open."""
    s, r = signed_in("admin", INITIAL_ADMIN_PASSWORD)
    if r.status_code != 303:
        return  # changed already (by the Swift tests of this run)
    blocked = s.get(BASE + "/admin/users", allow_redirects=False)
    assert blocked.status_code == 302 and blocked.headers["Location"] == "/password"
    page = s.get(BASE + "/password")
    changed = s.post(BASE + "/password", data={"csrf": csrf_of(page.text), "current": INITIAL_ADMIN_PASSWORD, "new": ADMIN_PASSWORD})
    assert changed.status_code == 200 and "เปลี่ยนรหัสผ่านแล้ว" in changed.text
    assert s.get(BASE + "/admin/users", allow_redirects=False).status_code == 200


@pytest.fixture
def browser():
    driver = new_browser()
    yield driver
    driver.quit()


@pytest.fixture
def admin_browser():
    driver = new_browser()
    sign_in(driver, "admin", ADMIN_PASSWORD)
    yield driver
    driver.quit()


def submit(driver, element):
    """Clicks a submit button or link and waits until the next page has replaced this one
    (the old page's marker is gone and the new page has loaded)."""
    driver.execute_script("window.__kpiOldPage = true")
    element.click()

    def new_page_loaded(d):
        return d.execute_script("return window.__kpiOldPage !== true && document.readyState === 'complete'")

    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(new_page_loaded)


def sign_in(driver, username, password):
    driver.get(BASE + "/signin")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    submit(driver, driver.find_element(By.ID, "signin-submit"))


def national_id():
    digits = [1] + [random.randint(0, 9) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, digits)) + str(check)
