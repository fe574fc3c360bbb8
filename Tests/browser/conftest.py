"""Real Chromium (Debian's chromium and chromedriver) against the running gateway that
`deploy/kpi test` started, at a phone's width."""
import os
import random

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("KPI_TEST_GATEWAY", "http://127.0.0.1:18200")
ADMIN_PASSWORD = os.environ["KPI_ADMIN_PASSWORD"]
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
