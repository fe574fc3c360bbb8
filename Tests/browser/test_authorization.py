"""Every page route × anonymous, pending, school reporter, district staff and administrator,
over plain HTTP against the running gateway (the rights are checked again by identity)."""
import random
import re

import pytest
import requests

from conftest import ADMIN_PASSWORD, BASE, DEMO_PASSWORD, csrf_of, national_id, signed_in


@pytest.fixture(scope="module")
def sessions():
    out = {"anonymous": requests.Session()}
    for role, (user, password) in {"school": ("demo-school", DEMO_PASSWORD), "district": ("demo-district", DEMO_PASSWORD),
                                   "admin": ("admin", ADMIN_PASSWORD)}.items():
        s, r = signed_in(user, password)
        assert r.status_code == 303, (role, r.status_code)
        out[role] = s
    # A pending account: registered, right password, but it never gets a session.
    username = f"matrix{random.randint(10000, 99999)}"
    password = "รอการอนุมัติ-matrix-1"
    s = requests.Session()
    token = csrf_of(s.get(BASE + "/register").text)
    fields = {"csrf": token, "nationalId": national_id(), "title": "นาย", "firstNameTh": "ทดสอบ", "lastNameTh": "สิทธิ์",
              "firstNameEn": "Test", "lastNameEn": "Rights", "staffKind": "civil_servant", "position": "ครู",
              "officePhone": "055111222", "mobile": "0812223333", "unitCode": "2", "province": "กำแพงเพชร",
              "email": "t@example.org", "username": username, "password": password}
    r = s.post(BASE + "/register", files={k: (None, v) for k, v in fields.items()})
    assert r.status_code == 201
    pending, r = signed_in(username, password)
    assert r.status_code == 403 and "รอการอนุมัติ" in r.text
    assert "kpi_session" not in pending.cookies
    out["pending"] = pending
    return out


ROLES = ["anonymous", "pending", "school", "district", "admin"]
SIGN_IN = "signin"
# expected outcome per role: a status code, or SIGN_IN for a redirect to /signin
MATRIX = {
    "/": [200, 200, 200, 200, 200],
    "/units": [200, 200, 200, 200, 200],
    "/register": [200, 200, 200, 200, 200],
    "/year": [SIGN_IN, SIGN_IN, 200, 200, 200],
    "/admin/users": [SIGN_IN, SIGN_IN, 403, 403, 200],
    "/admin/users?status=pending": [SIGN_IN, SIGN_IN, 403, 403, 200],
    "/admin/units": [SIGN_IN, SIGN_IN, 403, 403, 200],
    "/admin/password-requests": [SIGN_IN, SIGN_IN, 403, 403, 200],
    "/password": [SIGN_IN, SIGN_IN, 200, 200, 200],
    "/sessions": [SIGN_IN, SIGN_IN, 200, 200, 200],
    "/forgot": [200, 200, 200, 200, 200],
    "/signin": [200, 200, 302, 302, 302],
    "/api/v1/statistics/units": [200, 200, 200, 200, 200],
    "/api/v1/units": [200, 200, 200, 200, 200],
    "/api/v1/years": [200, 200, 200, 200, 200],
}


@pytest.mark.parametrize("path", sorted(MATRIX))
def test_get_routes(sessions, path):
    for role, expected in zip(ROLES, MATRIX[path]):
        r = sessions[role].get(BASE + path, allow_redirects=False)
        if path == "/signin" and expected == 302:
            assert r.status_code == 302 and r.headers["location"] == "/", (role, path, r.status_code)
        elif expected == SIGN_IN:
            assert r.status_code == 302 and r.headers["location"].endswith("/signin"), (role, path, r.status_code)
        else:
            assert r.status_code == expected, (role, path, r.status_code)


def test_state_changing_forms_need_the_right_and_a_csrf_token(sessions):
    admin_page = sessions["admin"].get(BASE + "/admin/units").text
    for role in ["school", "district"]:
        token = csrf_of(sessions[role].get(BASE + "/year").text)
        r = sessions[role].post(BASE + "/admin/units/1/deactivate", data={"csrf": token}, allow_redirects=False)
        assert r.status_code == 403, role
    r = sessions["anonymous"].post(BASE + "/admin/units/1/deactivate", data={"csrf": "x"}, allow_redirects=False)
    assert r.status_code == 302
    r = sessions["admin"].post(BASE + "/admin/units/1/deactivate", data={"csrf": "forged"}, allow_redirects=False)
    assert r.status_code == 403 and "แบบฟอร์มหมดอายุ" in r.text
    r = sessions["admin"].post(BASE + "/year", data={"year": "2567"}, allow_redirects=False)
    assert r.status_code == 403
    assert csrf_of(admin_page)


def test_every_response_carries_security_headers(sessions):
    for path in ["/", "/signin", "/api/v1/units", "/no-such-page"]:
        r = sessions["anonymous"].get(BASE + path, allow_redirects=False)
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], path
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
    r = sessions["anonymous"].get(BASE + "/no-such-page")
    assert r.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in r.text
    r = sessions["anonymous"].get(BASE + "/api/v1/units/x")
    assert r.headers["Content-Type"] == "application/problem+json"


def test_adding_a_year_needs_define_indicators(sessions):
    token = csrf_of(sessions["school"].get(BASE + "/year").text)
    assert 'id="add-year"' not in sessions["school"].get(BASE + "/year").text
    r = sessions["school"].post(BASE + "/year/add", data={"csrf": token, "year": "2599"}, allow_redirects=False)
    assert r.status_code == 403  # refused by catalogue on the signed actor, not only by the page
    assert 'id="add-year"' in sessions["district"].get(BASE + "/year").text


def test_one_users_page_and_actions(sessions):
    listing = sessions["admin"].get(BASE + "/admin/users?q=demo-school").text
    user = re.search(r'href="(/admin/users/[0-9A-Fa-f-]{36})"', listing).group(1)
    expected = {"anonymous": SIGN_IN, "pending": SIGN_IN, "school": 403, "district": 403, "admin": 200}
    for role, outcome in expected.items():
        r = sessions[role].get(BASE + user, allow_redirects=False)
        if outcome == SIGN_IN:
            assert r.status_code == 302, role
        else:
            assert r.status_code == outcome, role
    for action in ["approve", "reject", "disable", "enable", "rights", "workgroup", "password-reset"]:
        for role in ["school", "district"]:
            token = csrf_of(sessions[role].get(BASE + "/year").text)
            r = sessions[role].post(BASE + user + "/" + action, data={"csrf": token}, allow_redirects=False)
            assert r.status_code == 403, (role, action)
        r = sessions["anonymous"].post(BASE + user + "/" + action, data={"csrf": "x"}, allow_redirects=False)
        assert r.status_code == 302, action
