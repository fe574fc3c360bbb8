"""docker-compose.yml cannot run here (no Docker engine), so this checks that it agrees with the
code: every service, every variable, the topics, ports and the Dockerfile's runtime libraries."""
import pathlib
import os
import re
import subprocess

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVICES = ["identity", "catalogue", "intake", "review", "statistics", "gateway"]
DOMAIN = SERVICES[:-1]


def swift_sources():
    for folder in ("Services", "Shared"):
        yield from (ROOT / folder).rglob("*.swift")


def code_variables():
    names = set()
    for path in swift_sources():
        names |= set(re.findall(r'"(KPI_[A-Z0-9_]+)"', path.read_text(encoding="utf-8")))
    return names


def readme_variables():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(KPI_[A-Z0-9_]+)`", text, re.M))


def default_ports():
    text = (ROOT / "Shared/KPIRuntime/ServiceConfig.swift").read_text(encoding="utf-8")
    block = re.search(r"defaultPorts = \[(.*?)\]", text, re.S).group(1)
    return {name: int(port) for name, port in re.findall(r'"(\w+)": (\d+)', block)}


def declared_topics():
    text = (ROOT / "Shared/KPIEvents/Topics.swift").read_text(encoding="utf-8")
    return {name: int(p) for name, p in re.findall(r'Topic\(name: "([^"]+)", partitions: (\d+)\)', text)}


COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_every_service_has_a_container_built_from_the_dockerfile():
    services = COMPOSE["services"]
    assert {"postgres", "kafka"} <= set(services)
    for name in SERVICES:
        build = services[name]["build"]
        assert build["dockerfile"] == "deploy/Dockerfile"
        assert build["args"]["SERVICE"] == name
        assert "/health/ready" in " ".join(services[name]["healthcheck"]["test"])
    package = (ROOT / "Package.swift").read_text(encoding="utf-8")
    assert re.search(r'let services = \[(.*?)\]', package).group(1).replace('"', "").split(", ") == SERVICES


def test_variables_in_compose_are_read_by_the_code_and_documented():
    code = code_variables()
    passwords = {f"KPI_{name.upper()}_DB_PASSWORD" for name in DOMAIN}  # read by init-roles.sh
    assert code | passwords == readme_variables(), "README's configuration table and the code differ"
    init_roles = (ROOT / "deploy/postgres/init-roles.sh").read_text(encoding="utf-8")
    assert 'KPI_$(echo "$svc" | tr a-z A-Z)_DB_PASSWORD' in init_roles
    for name in SERVICES:
        env = COMPOSE["services"][name]["environment"]
        unknown = {k for k in env if k.startswith("KPI_")} - code
        assert not unknown, f"{name} sets variables no code reads: {unknown}"


def test_ports_and_connections_match_the_code():
    ports = default_ports()
    services = COMPOSE["services"]
    for name in DOMAIN:
        env = services[name]["environment"]
        assert int(env["KPI_HTTP_PORT"]) == ports[name]
        assert env["KPI_DB_HOST"] == "postgres" and env["KPI_KAFKA_BROKERS"] == "kafka:9092"
        assert env["KPI_DB_USER"] == name
        assert env["KPI_DB_PASSWORD"] == f"${{KPI_{name.upper()}_DB_PASSWORD}}"
        assert f"KPI_{name.upper()}_DB_PASSWORD" in services["postgres"]["environment"]
    gateway = services["gateway"]["environment"]
    for name in DOMAIN:
        assert gateway[f"KPI_{name.upper()}_URL"] == f"http://{name}:{ports[name]}"
    assert services["gateway"]["ports"] == [f"{ports['gateway']}:{ports['gateway']}"]
    assert "KPI_DB_HOST" not in gateway, "the gateway keeps no data"
    for name in SERVICES:
        assert "KPI_DEMO" not in services[name]["environment"], "production creates no demo accounts"
    assert services["identity"]["environment"]["KPI_ADMIN_PASSWORD"].startswith("${KPI_ADMIN_PASSWORD")


def test_kafka_topics_match_the_declared_topics():
    command = "\n".join(COMPOSE["services"]["kafka-topics"]["command"])
    listed = dict(re.findall(r"(kpi\.[a-z]+\.v\d+):(\d+)", command))
    assert {k: int(v) for k, v in listed.items()} == declared_topics()
    assert COMPOSE["services"]["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


def test_dockerfile_builds_with_dev_packages_and_runs_slim():
    text = (ROOT / "deploy/Dockerfile").read_text(encoding="utf-8")
    build, runtime = text.split("FROM debian:bookworm-slim")
    assert "libpq-dev" in build and "librdkafka-dev" in build
    assert "libpq5" in runtime and "librdkafka1" in runtime
    assert ".resources" in build, "migrations ship as resource bundles next to the executable"


def runtime_packages():
    text = (ROOT / "deploy/Dockerfile").read_text(encoding="utf-8")
    runtime = text.split("FROM debian:bookworm-slim")[1]
    listed = re.search(r"apt-get install -y --no-install-recommends ([^\\&]+)", runtime).group(1).split()
    # What apt installs with them, plus what every Debian image has (priority required).
    closure = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                              "--no-breaks", "--no-replaces", "--no-enhances", *listed],
                             capture_output=True, text=True, check=True).stdout
    packages = {line.strip() for line in closure.splitlines() if line and not line.startswith(" ")}
    packages |= {re.sub(r"^\s*(Pre)?Depends: <?([^>]+)>?$", r"\2", l).strip()
                 for l in closure.splitlines() if "Depends:" in l}
    base = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Priority}\n"], capture_output=True, text=True, check=True).stdout
    packages |= {l.split()[0] for l in base.splitlines() if l.endswith(" required")}
    return {p.split(":")[0] for p in packages}


def test_the_runtime_image_has_every_library_the_binaries_link():
    bin_dir = ROOT / ".build" / "debug"
    have = runtime_packages()
    missing = {}
    owners = {}
    for service in SERVICES:
        binary = bin_dir / service
        assert binary.exists(), f"build first: {binary}"
        for line in subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout.splitlines():
            m = re.match(r"\s*(\S+) => (/\S+)", line)
            if not m or "swift" in m.group(2):  # the Swift runtime is linked statically in the image
                continue
            if m.group(2) not in owners:
                owner = subprocess.run(["dpkg", "-S", os.path.realpath(m.group(2))], capture_output=True, text=True)
                if owner.returncode != 0:
                    owner = subprocess.run(["dpkg", "-S", m.group(2)], capture_output=True, text=True)
                owners[m.group(2)] = owner.stdout.split(":")[0].strip()
            package = owners[m.group(2)]
            if package and package not in have:
                missing.setdefault(service, set()).add(f"{m.group(1)} ({package})")
    assert not missing, f"the Dockerfile's runtime stage lacks: {missing}"
