"""The AsyncAPI document (Shared/KPIEvents/asyncapi.yaml) is what outside consumers subscribe
from: it must name every topic and every event type the code has, and every event the tests
produced (every domain schema's outbox in the test cluster that `deploy/kpi test` ran them
against) must match its JSON Schema. An event type the document does not know fails."""
import json
import os
import pathlib
import re
import subprocess

import yaml
from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = yaml.safe_load((ROOT / "Shared/KPIEvents/asyncapi.yaml").read_text(encoding="utf-8"))
PRODUCERS = ["identity", "catalogue", "intake", "review"]
# Rows the runtime's own tests write with made-up types (outbox and relay tests).
TEST_ONLY = "th.kpi.test."


def code_events():
    """(event type, topic name) of every event struct in Shared/KPIEvents."""
    topics = dict(re.findall(r'static let (\w+) = Topic\(name: "([^"]+)"',
                             (ROOT / "Shared/KPIEvents/Topics.swift").read_text(encoding="utf-8")))
    found = {}
    for f in (ROOT / "Shared/KPIEvents").glob("*Events.swift"):
        for etype, topic in re.findall(r'eventType = "([^"]+)"\s+public static let topic = Topics\.(\w+)', f.read_text(encoding="utf-8")):
            found[etype] = topics[topic]
    return found


def documented():
    """event type → (channel address, schema name)."""
    out = {}
    for channel in DOC["channels"].values():
        for ref in channel.get("messages", {}).values():
            name = ref["$ref"].split("/")[-1]
            message = DOC["components"]["messages"][name]
            out[message["name"]] = (channel["address"], message["payload"]["$ref"].split("/")[-1])
    return out


def validator(schema_name):
    return Draft202012Validator({"$ref": f"#/components/schemas/{schema_name}", "components": DOC["components"]})


def test_the_document_has_every_topic_and_event_type_of_the_code():
    assert DOC["asyncapi"].startswith("3.")
    declared = dict(re.findall(r'Topic\(name: "([^"]+)", partitions: (\d+)\)', (ROOT / "Shared/KPIEvents/Topics.swift").read_text(encoding="utf-8")))
    channels = {c["address"]: c["bindings"]["kafka"]["partitions"] for c in DOC["channels"].values()}
    assert channels == {k: int(v) for k, v in declared.items()}
    code = code_events()
    assert len(code) >= 21
    doc = documented()
    assert set(doc) == set(code), f"only in code: {set(code) - set(doc)}; only documented: {set(doc) - set(code)}"
    for etype, topic in code.items():
        assert doc[etype][0] == topic, f"{etype} is on {topic} in the code, {doc[etype][0]} in the document"
    for name in DOC["components"]["schemas"]:
        Draft202012Validator.check_schema({"$ref": f"#/components/schemas/{name}", "components": DOC["components"]})


def produced():
    """(event type, data) of every event in the producing services' outboxes of the test cluster."""
    sock = os.environ.get("KPI_TEST_DB_SOCKET", str(ROOT / "run/test/pgsock"))
    port = os.environ.get("KPI_TEST_DB_PORT", "55433")
    assert os.path.exists(f"{sock}/.s.PGSQL.{port}"), "run through `bash deploy/kpi test`: it keeps the test cluster up for this test"
    command = ["psql", "-h", sock, "-p", port, "-U", "postgres", "-d", "kpi", "-AtqF", "\x1f", "-c",
               " UNION ALL ".join(f"SELECT event_type, payload::text FROM {s}.outbox" for s in PRODUCERS)]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [(line.split("\x1f", 1)[0], json.loads(line.split("\x1f", 1)[1])) for line in done.stdout.splitlines() if line]


def test_every_event_the_tests_produced_matches_its_schema():
    doc = documented()
    validators = {etype: validator(schema) for etype, (_, schema) in doc.items()}
    events = produced()
    seen = {}
    for etype, data in events:
        if etype.startswith(TEST_ONLY):
            continue
        assert etype in validators, f"undocumented event type {etype}"
        errors = sorted(validators[etype].iter_errors(data), key=str)
        assert not errors, f"{etype} does not match its schema: {errors[0].message} in {json.dumps(data, ensure_ascii=False)[:300]}"
        seen[etype] = seen.get(etype, 0) + 1
    # The integration tests drive every service: most types must have been checked on real data.
    assert len(seen) >= 15, f"only {sorted(seen)} were produced"
    print(f"{sum(seen.values())} events of {len(seen)} types valid; not produced by the tests: {sorted(set(doc) - set(seen))}")
