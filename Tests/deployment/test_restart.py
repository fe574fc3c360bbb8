"""`deploy/kpi stop` then `start`: the local broker keeps nothing, so a start after an unclean
stop sends every retained event again; a start after a clean stop (every event sent and
applied) sends nothing again. A second installation beside the test one (its own run folder,
PostgreSQL port and HTTP ports)."""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
RUN = ROOT / "run" / "test" / "restart"
ENV = dict(os.environ, KPI_RUN_DIR=str(RUN), KPI_DB_PORT="55434", KPI_PORT_BASE="18300")


def kpi(*args):
    done = subprocess.run(["bash", "deploy/kpi", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def published_by_identity():
    """Events identity's relay sent since it started (its metrics port is the base + 1 + 1000)."""
    with urllib.request.urlopen("http://127.0.0.1:19301/metrics", timeout=5) as r:
        text = r.read().decode()
    m = re.search(r'^kpi_events_published_total\{topic="kpi.identity.v1"\} (\d+)', text, re.M)
    return int(m.group(1)) if m else 0


def published_within(seconds, at_least):
    """Polls identity's published count until it reaches `at_least` or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        n = published_by_identity()
        if n >= at_least or time.monotonic() > deadline:
            return n
        time.sleep(0.2)


def test_a_clean_stop_sends_nothing_again_and_an_unclean_one_resends():
    shutil.rmtree(RUN, ignore_errors=True)
    try:
        first = kpi("start")
        assert published_within(15, 34) >= 34, "the 34 seed units are published at first start"
        assert "sending every retained event again" in first  # a first start has no clean stop

        stopped = kpi("stop")
        assert "clean stop" in stopped and (RUN / "clean-stop").exists(), stopped
        second = kpi("start")
        assert "nothing to send again" in second, second
        assert published_within(3, 1) == 0, "a start after a clean stop published events again"

        # An unclean stop: identity is killed, so nobody can tell that its events were applied.
        os.kill(int((RUN / "pids" / "identity.pid").read_text()), signal.SIGKILL)
        stopped = kpi("stop")
        assert not (RUN / "clean-stop").exists(), stopped
        third = kpi("start")
        assert "sending every retained event again" in third, third
        assert published_within(15, 34) >= 34
    finally:
        subprocess.run(["bash", "deploy/kpi", "stop"], cwd=ROOT, env=ENV, capture_output=True, timeout=300)
