"""The local PostgreSQL cluster that `deploy/kpi` makes trusts nobody: no 'trust' rule, a socket
folder only its owner enters, and an ordinary local user cannot become the superuser. Checks
the test cluster that `deploy/kpi test` is running (run/test, port 55433)."""
import os
import pathlib
import stat
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
RUN = ROOT / "run" / "test"


def test_no_trust_rule():
    rules = [line.split() for line in (RUN / "pgdata" / "pg_hba.conf").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert rules, "no rules at all"
    assert not [r for r in rules if "trust" in r], rules


def test_socket_folder_is_not_open_to_others():
    mode = (RUN / "pgsock").stat().st_mode
    assert not mode & (stat.S_IWOTH | stat.S_IROTH | stat.S_IXOTH), oct(mode)


def test_an_ordinary_local_user_cannot_connect_as_the_superuser():
    assert os.geteuid() == 0, "runs as root, like CI, to act as another user"
    # nobody cannot even reach the socket folder; over TCP it has no password.
    as_nobody = subprocess.run(["runuser", "-u", "nobody", "--", "/usr/lib/postgresql/15/bin/psql", "-w", "-h", "127.0.0.1",
                                "-p", "55433", "-U", "postgres", "-d", "kpi", "-c", "SELECT 1"],
                               capture_output=True, text=True, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    assert as_nobody.returncode != 0 and "password" in as_nobody.stderr, as_nobody.stderr
    via_socket = subprocess.run(["runuser", "-u", "nobody", "--", "/usr/lib/postgresql/15/bin/psql", "-w", "-h", str(RUN / "pgsock"),
                                 "-p", "55433", "-U", "postgres", "-d", "kpi", "-c", "SELECT 1"],
                                capture_output=True, text=True, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    assert via_socket.returncode != 0, via_socket.stdout
