"""Self-test of tests/minimal_server/minimal_server.py against Debian's redis-server, in both
directions: the minimal server as a master with a real Redis replica, and as a replica of a real
Redis master. Needs no harness build. Every process is stopped in the fixture's teardown and every
wait polls with a deadline."""
import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "minimal_server" / "minimal_server.py"
PYTHON = "/usr/bin/python3"
REDIS = "/usr/bin/redis-server"
DEADLINE = 20.0  # seconds: the longest any single wait may take

pytestmark = pytest.mark.skipif(not os.access(REDIS, os.X_OK), reason=f"{REDIS} is not installed")


class RespError(Exception):
    pass


class Client:
    """A tiny blocking RESP2 client."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.file = self.sock.makefile("rb")

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def call(self, *args):
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.send_raw(b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
        reply = self.read()
        if isinstance(reply, RespError):
            raise reply
        return reply

    def read(self):
        line = self.file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("connection closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            return None if int(rest) < 0 else self.file.read(int(rest) + 2)[:-2]
        if kind == b"*":
            return None if int(rest) < 0 else [self.read() for _ in range(int(rest))]
        raise RespError(f"unexpected reply line {line!r}")

    def close(self) -> None:
        self.file.close()
        self.sock.close()


class Processes:
    """Servers started by a test; each logs to its own file under the test's temp dir."""

    def __init__(self, tmp: pathlib.Path):
        self.tmp, self.procs, self.clients = tmp, [], []

    def start(self, name: str, argv) -> subprocess.Popen:
        workdir = self.tmp / name
        workdir.mkdir()
        with open(self.tmp / f"{name}.log", "wb") as log:
            proc = subprocess.Popen([str(a) for a in argv], stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=workdir)
        self.procs.append((name, proc))
        return proc

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def logs(self) -> str:
        return "".join(f"\n--- {name} (last lines) ---\n" + "\n".join(self.log(name).splitlines()[-30:])
                       for name, _ in self.procs)

    def connect(self, name: str, port: int) -> Client:
        """A client of a started server, once it answers PING."""
        proc = dict(self.procs)[name]

        def ping():
            assert proc.poll() is None, f"{name} exited with status {proc.returncode}"
            client = Client(port)
            if client.call("PING") == "PONG":
                return client
            client.close()
        client = self.wait(ping, f"{name} answering PING on port {port}")
        self.clients.append(client)
        return client

    def wait(self, condition, what: str, timeout: float = DEADLINE):
        """Polls condition() until it returns something true; connection errors count as not yet."""
        deadline, last = time.monotonic() + timeout, None
        while True:
            try:
                result = condition()
                if result:
                    return result
                last = result
            except (OSError, RespError) as e:
                last = e
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}"
                                     + self.logs())
            time.sleep(0.05)

    def stop_all(self) -> None:
        for client in self.clients:
            client.close()
        for _, proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for _, proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture
def servers(tmp_path):
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()


def free_ports(n: int):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def start_minimal(servers: Processes, port: int, *extra) -> Client:
    servers.start("minimal", [PYTHON, MINIMAL, "--port", port, "--dir", servers.tmp, *extra])
    return servers.connect("minimal", port)


def start_redis(servers: Processes, name: str, port: int, *extra) -> Client:
    servers.start(name, [REDIS, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", servers.tmp / name, *extra])
    return servers.connect(name, port)


def info(client: Client, section: str = "replication") -> dict:
    text = client.call("INFO", section).decode()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def info_lines(client: Client, section: str):
    return [line for line in client.call("INFO", section).decode().splitlines() if line and line[0] != "#"]


def same_keyspace(a: Client, b: Client):
    keys = sorted(a.call("KEYS", "*"))
    if keys != sorted(b.call("KEYS", "*")) or a.call("DBSIZE") != b.call("DBSIZE"):
        return False
    return all(a.call("GET", k) == b.call("GET", k) for k in keys) and keys


def test_basics(servers):
    (port,) = free_ports(1)
    m = start_minimal(servers, port)
    assert m.call("SET", "k", "v", "EX", "100") == "OK" and m.call("GET", "k") == b"v"
    assert 0 < m.call("TTL", "k") <= 100 and m.call("TYPE", "k") == "string"
    assert m.call("INCRBY", "n", "5") == 5 and m.call("APPEND", "n", "0") == 2 and m.call("INCR", "n") == 51
    assert m.call("SCAN", "0", "MATCH", "k*") == [b"0", [b"k"]]
    for args, message in ((("SELECT", "0"), "ERR unknown command 'SELECT'"),
                          (("GET",), "ERR wrong number of arguments for 'get' command"),
                          (("INCR", "k"), "ERR value is not an integer or out of range")):
        with pytest.raises(RespError, match=message):
            m.call(*args)
    m.send_raw(b"PING\r\n")
    assert m.read() == "PONG"
    assert info_lines(m, "replication") == ["role:master"]
    bad = Client(port)
    bad.send_raw(b"*1\r\n!4\r\nPING\r\n")
    assert isinstance(bad.read(), RespError)
    bad.close()
    servers.wait(lambda: "Protocol error" in servers.log("minimal"), "the protocol error in the log")
    proc = dict(servers.procs)["minimal"]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0 and "bye bye" in servers.log("minimal")


def test_refuses_non_loopback_bind():
    (port,) = free_ports(1)
    result = subprocess.run([PYTHON, MINIMAL, "--port", str(port), "--bind", "0.0.0.0"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "only loopback addresses" in result.stderr


def test_minimal_master_with_redis_replica(servers):
    m_port, r_port = free_ports(2)
    m = start_minimal(servers, m_port)
    # Written before the replica connects: these travel in the RDB snapshot.
    m.call("SET", "plain", "v1")
    m.call("SET", "ttl_ex", "v2", "EX", "1000")
    m.call("SET", "big", "x" * 20000, "PX", "5000000")  # a 32-bit RDB length
    m.call("MSET", "m1", "a", "m2", "b")
    m.call("INCRBY", "counter", "41")
    m.call("EXPIRE", "m1", "1000")
    r = start_redis(servers, "redis-replica", r_port, "--replicaof", "127.0.0.1", m_port)
    servers.wait(lambda: info(r).get("master_link_status") == "up", "the redis replica's link up")
    # Written after: these travel in the command stream.
    m.call("SET", "s1", "v", "PX", "900000")
    m.call("SET", "binary", bytes(range(256)))
    m.call("APPEND", "plain", "+more")
    m.call("INCR", "counter")
    m.call("DEL", "m2", "missing")
    m.call("PERSIST", "ttl_ex")
    m.call("EXPIRE", "plain", "500")
    assert m.call("SET", "nx", "1", "NX") == "OK" and m.call("SET", "nx", "2", "NX") is None
    m.call("SET", "short", "x", "PX", "300")  # expired actively by the master: its DEL must arrive
    keys = servers.wait(lambda: same_keyspace(m, r) if m.call("EXISTS", "short") == 0 else False,
                        "the redis replica to converge")
    assert sorted(keys) == sorted([b"plain", b"ttl_ex", b"big", b"m1", b"counter", b"s1", b"binary", b"nx"])
    assert r.call("GET", "counter") == b"42" and r.call("GET", "binary") == bytes(range(256))
    for key in (b"big", b"m1", b"s1", b"plain"):
        master_ttl, replica_ttl = m.call("PTTL", key), r.call("PTTL", key)
        assert master_ttl > 0 and replica_ttl > 0 and abs(master_ttl - replica_ttl) < 5000, key
    assert m.call("PTTL", "ttl_ex") == -1 and r.call("PTTL", "ttl_ex") == -1

    def offsets_agree():
        role, replica = m.call("ROLE"), info(r)
        return (replica.get("master_link_status") == "up" and int(replica["slave_repl_offset"]) == role[1]
                and role[2] == [[b"127.0.0.1", str(r_port).encode(), str(role[1]).encode()]] and role)
    role = servers.wait(offsets_agree, "the replica's offset and acknowledgement to match the master's")
    assert role[0] == b"master" and role[1] > 0
    assert info_lines(m, "replication") == ["role:master"]
    assert "Finished with success" in servers.log("redis-replica")


def test_minimal_replica_of_redis_master(servers):
    r_port, m_port = free_ports(2)
    r = start_redis(servers, "redis-master", r_port)
    db1 = Client(r_port)
    servers.clients.append(db1)
    db1.call("SELECT", "1")
    db1.call("SET", "db1key", "ignored")  # another database: a single-db replica drops it
    for key, value in (("a", "1"), ("i8", "-100"), ("i16", "30000"), ("i32", "2000000000"),
                       ("compressible", "abc" * 1000), ("binary", bytes(range(256)))):
        r.call("SET", key, value)
    r.call("SET", "e1", "v", "EX", "1000")
    r.call("SET", "e2", "v", "PX", "100000")
    m = start_minimal(servers, m_port, "--replicaof", "127.0.0.1", r_port)
    servers.wait(lambda: same_keyspace(r, m), "the minimal replica to load the snapshot")
    assert m.call("GET", "compressible") == b"abc" * 1000 and m.call("GET", "i32") == b"2000000000"
    assert m.call("EXISTS", "db1key") == 0 and m.call("PTTL", "e1") > 0 and m.call("PTTL", "e2") > 0
    with pytest.raises(RespError, match="READONLY You can't write against a read only replica."):
        m.call("SET", "x", "y")
    # The command stream: SELECT 0, SET ... PXAT, PEXPIREAT, DEL, and writes to db 1 to ignore.
    r.call("SET", "later", "v")
    r.call("EXPIRE", "a", "1000")
    r.call("DEL", "i8")
    r.call("INCR", "counter")
    r.call("SET", "px", "v", "PX", "500000")
    db1.call("SET", "db1key2", "ignored")
    r.call("APPEND", "later", "!")
    assert r.call("WAIT", "1", "5000") == 1  # answered through REPLCONF GETACK / ACK
    keys = servers.wait(lambda: same_keyspace(r, m), "the minimal replica to apply the stream")
    assert b"i8" not in keys and m.call("GET", "later") == b"v!" and m.call("GET", "counter") == b"1"
    assert m.call("PTTL", "a") > 0 and m.call("PTTL", "px") > 0 and m.call("EXISTS", "db1key2") == 0

    def offsets_agree():
        role, master = m.call("ROLE"), info(r)
        return role[3] == b"connected" and role[4] == int(master["master_repl_offset"]) and role
    role = servers.wait(offsets_agree, "the minimal replica's offset to match redis's master_repl_offset")
    assert role[:3] == [b"slave", b"127.0.0.1", r_port]
    assert info_lines(m, "replication") == ["role:slave"]
    assert servers.log("minimal").count("MASTER <-> REPLICA sync: Finished with success") == 1
    # Link loss: the minimal replica reconnects and resyncs in full.
    r.call("CLIENT", "KILL", "TYPE", "replica")
    r.call("SET", "after_reconnect", "1")
    servers.wait(lambda: servers.log("minimal").count("sync: Finished with success") == 2,
                 "a second full sync")
    servers.wait(lambda: same_keyspace(r, m), "the minimal replica to converge after the resync")
    servers.wait(offsets_agree, "the offsets to agree after the resync")
    # Promotion: REPLICAOF NO ONE makes it a writable master.
    assert m.call("REPLICAOF", "NO", "ONE") == "OK" and m.call("SET", "x", "y") == "OK"
    assert m.call("ROLE")[0] == b"master" and info_lines(m, "replication") == ["role:master"]


def test_minimal_replica_refuses_other_types(servers):
    r_port, m_port = free_ports(2)
    r = start_redis(servers, "redis-master", r_port)
    r.call("RPUSH", "list", "a", "b")
    m = start_minimal(servers, m_port, "--replicaof", "127.0.0.1", r_port)
    servers.wait(lambda: "unsupported type" in servers.log("minimal"), "the unsupported type in the log")
    assert m.call("PING") == "PONG" and m.call("ROLE")[3] != b"connected"
