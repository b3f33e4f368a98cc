"""What the code in the sandbox cannot reach: the network (the web port, PostgreSQL, DNS),
the environment's secrets, the data and uploads folders, the project's source, the host's
/etc and /proc. Each test fails when that part of the sandbox is taken away."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tf_automation import Failure
from tf_system.settings import PROJECT_ROOT

DNS_QUERY = "abcd01000001000000000000076578616d706c6503636f6d0000010001"
CONNECT = """
import socket
def run(inputs):
    socket.create_connection((inputs.get("host", "127.0.0.1"), inputs["port"]), timeout=2)
    return {"connected": True}
"""
CONNECT_UNIX = """
import socket
def run(inputs):
    socket.socket(socket.AF_UNIX).connect(inputs["path"])
    return {"connected": True}
"""


@pytest.fixture
def listener() -> Iterator[tuple[int, list]]:
    """A TCP server on the host's loopback, like the web server: its port and the
    connections it accepted."""
    accepted: list = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


def test_the_web_port_on_the_hosts_loopback_cannot_be_reached(run, listener):
    port, accepted = listener
    result = run(CONNECT, {"port": port})
    assert result.failure is Failure.EXCEPTION
    assert "Connection refused" in result.reason or "unreachable" in result.reason
    assert accepted == []


def test_postgresql_cannot_be_reached(run, server_url):
    """By the route the host uses: the embedded server's Unix socket, or a TCP port."""
    params = psycopg.conninfo.conninfo_to_dict(server_url)
    host, port = params.get("host") or "localhost", int(params.get("port") or 5432)
    with psycopg.connect(server_url) as conn:  # it is there, for the host
        conn.execute("SELECT 1")
    if host.startswith("/"):
        result = run(CONNECT_UNIX, {"path": f"{host}/.s.PGSQL.{port}"})
        assert result.failure is Failure.EXCEPTION
        assert result.reason == "FileNotFoundError: [Errno 2] No such file or directory"
    else:
        address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
        result = run(CONNECT, {"host": address, "port": port})
        assert result.failure is Failure.EXCEPTION
        assert "Connection refused" in result.reason or "unreachable" in result.reason


def test_names_cannot_be_looked_up(run):
    socket.getaddrinfo("localhost", 80)  # the host can
    result = run("import socket\ndef run(inputs):\n    socket.getaddrinfo('localhost', 80)")
    assert result.failure is Failure.EXCEPTION
    assert result.reason.startswith("socket.gaierror")


def test_a_dns_query_never_reaches_a_resolver_on_the_host(run):
    resolver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    resolver.bind(("127.0.0.1", 0))
    resolver.settimeout(0.5)
    with resolver:
        run(
            """
            import socket
            def run(inputs):
                query = bytes.fromhex(inputs["query"])  # example.com, type A
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                udp.sendto(query, ("127.0.0.1", inputs["port"]))
                return {}
            """,
            {"port": resolver.getsockname()[1], "query": DNS_QUERY},
        )
        with pytest.raises(TimeoutError):
            resolver.recvfrom(512)


def test_the_environments_secrets_are_not_there(run, monkeypatch):
    monkeypatch.setenv("TF_SECRET_KEY", "the-secret-key")
    monkeypatch.setenv("TF_DATABASE_URL", "postgresql://tf:password@db/tf")
    result = run(
        """
        import os
        def run(inputs):
            found = dict(os.environ)
            for path in ["/proc/self/environ", "/proc/1/environ"]:
                try:
                    found[path] = open(path).read()
                except OSError:
                    pass
            return found
        """
    )
    assert result.ok
    assert "the-secret-key" not in str(result.outputs)
    assert "password" not in str(result.outputs)
    assert set(result.outputs) <= {"PWD"}  # bwrap's --chdir sets it


@pytest.fixture
def data_folder() -> Iterator[Path]:
    """A data folder with a secret key and an upload of another ticket, readable by any
    user of the host, so only the sandbox's view keeps them out."""
    root = Path(tempfile.mkdtemp(prefix="sandbox-test-", dir=PROJECT_ROOT / ".tfdata"))
    root.chmod(0o755)
    (root / "secret_key").write_text("the-secret-key")
    (root / "uploads" / "ab").mkdir(parents=True)
    (root / "uploads" / "ab" / "another-ticket.pdf").write_text("private upload")
    for path in [root / "uploads", root / "uploads" / "ab"]:
        path.chmod(0o755)
    yield root
    shutil.rmtree(root)


def test_the_data_folder_uploads_project_source_and_host_files_cannot_be_read(run, data_folder):
    paths = [
        str(data_folder / "secret_key"),
        str(data_folder / "uploads" / "ab" / "another-ticket.pdf"),
        str(PROJECT_ROOT / "tf_system" / "settings.py"),
        str(PROJECT_ROOT / "pyproject.toml"),
        "/etc/passwd",
        "/etc/shadow",
        "/proc/1/environ",
        "/proc/self/status",
        "/root/.bash_history",
        "/usr/lib/python3/dist-packages",
    ]
    assert all(os.path.exists(path) for path in paths[:5])  # there, on the host
    result = run(
        """
        import os
        def run(inputs):
            seen = {}
            for path in inputs["paths"]:
                try:
                    seen[path] = os.listdir(path) if os.path.isdir(path) else open(path).read()
                except OSError as error:
                    seen[path] = error.strerror
            return {"seen": seen, "root": sorted(os.listdir("/"))}
        """,
        {"paths": paths},
    )
    assert result.ok, result.reason
    assert result.outputs["seen"] == {path: "No such file or directory" for path in paths}
    assert result.outputs["root"] == ["dev", "lib", "lib64", "tmp", "usr"]


def test_one_run_cannot_see_the_files_of_another(run):
    first = run("def run(inputs):\n    open('/tmp/order.txt', 'w').write('mine')\n    return {}")
    assert first.ok
    second = run("import os\ndef run(inputs):\n    return {'tmp': os.listdir('/tmp')}")
    assert second.outputs == {"tmp": []}
