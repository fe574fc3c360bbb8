"""The public API's routes in the gateway and its OpenAPI 3.1 file agree."""
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "Services/gateway/openapi.yaml").read_text(encoding="utf-8"))


def gateway_api_routes():
    text = (ROOT / "Services/gateway/App/Features/PublicAPI/PublicAPIRoutes.swift").read_text(encoding="utf-8")
    assert 'router.group("/api/v1")' in text
    routes = set()
    for method, path in re.findall(r'api\.(get|post|put|patch|delete)\("([^"]+)"', text):
        routes.add((method, re.sub(r":(\w+)", r"{\1}", path)))
    return routes


def test_spec_is_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    assert SPEC["servers"][0]["url"] == "/api/v1"


def test_routes_and_spec_agree():
    documented = {(method, path) for path, ops in SPEC["paths"].items() for method in ops if method != "parameters"}
    assert gateway_api_routes() == documented


def test_path_parameters_are_declared():
    for path, ops in SPEC["paths"].items():
        for name in re.findall(r"{(\w+)}", path):
            for op in ops.values():
                assert any(p["name"] == name and p["in"] == "path" for p in op.get("parameters", [])), (path, name)
