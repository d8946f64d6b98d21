"""The fake replica driven step by step from Python against a real redis-server: handshake,
PSYNC, the RDB, the stream, ACKs, and the offsets checked against INFO."""
import re
import threading
import time

import pytest

from _fixtures import conformance, fake_replica, server_under_test  # noqa: F401


def wait_for(predicate, timeout=10.0, what="condition"):
    """Polls `predicate` until it is true; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def master_offset(server):
    return server.info("replication")["master_repl_offset"]


def test_handshake_psync_rdb_stream_and_ack_step_by_step(server_under_test, fake_replica):
    server = server_under_test
    server.call("SET", "before", "snapshot")
    server.call("RPUSH", "list", "a", "b", "c")

    fake_replica.connect()
    fake_replica.handshake()
    reply = fake_replica.psync()
    info = server.info("replication")
    assert reply.kind == "FULLRESYNC"
    assert reply.replid == info["master_replid"]
    assert reply.offset == info["master_repl_offset"]

    rdb = fake_replica.receive_rdb()
    assert rdb.keys == 2
    assert rdb.framing in ("disk", "diskless")
    assert fake_replica.model.get("before") == b"snapshot"
    assert fake_replica.model.get("list") == [b"a", b"b", b"c"]

    server.call("SET", "after", "stream")
    server.call("MULTI")
    server.call("INCR", "counter")
    server.call("SELECT", "3")
    server.call("SADD", "set", "x")
    assert server.call("EXEC") == [1, "OK", 1]
    target = master_offset(server)
    fake_replica.read_stream_until(target, timeout=10)
    assert fake_replica.offset == target
    assert fake_replica.model.get("counter") == b"1"
    assert fake_replica.model.get("set", db=3) == {b"x"}

    fake_replica.send_ack()
    wait_for(lambda: server.info("replication")["slave0"]["offset"] == target, what="slave0 offset")
    replica_line = server.info("replication")["slave0"]
    assert replica_line["state"] == "online"
    assert replica_line["port"] == 16380
    assert fake_replica.stats.full_syncs == 1
    assert fake_replica.stats.last_ack_offset == target
    assert fake_replica.stats.unmodelled == []

    actual = server.read_keyspace()
    assert conformance.Keyspace.diff(fake_replica.model, actual) == []
    assert fake_replica.model.digest() == actual.digest()


def test_reconnect_continues_at_the_next_byte(server_under_test, fake_replica):
    server = server_under_test
    fake_replica.connect()
    fake_replica.handshake()
    fake_replica.psync()
    fake_replica.receive_rdb()
    fake_replica.read_stream_until(master_offset(server))
    fake_replica.disconnect()

    server.call("SET", "while-away", "1")
    fake_replica.connect()
    fake_replica.handshake()
    reply = fake_replica.psync_resume()
    assert reply.kind == "CONTINUE"
    fake_replica.read_stream_until(master_offset(server))
    assert fake_replica.model.get("while-away") == b"1"
    assert server.info("stats")["sync_partial_ok"] == 1
    assert fake_replica.stats.partial_syncs == 1


def test_blocking_calls_release_the_gil(server_under_test, fake_replica):
    # The stream read waits in a thread while this thread writes the command it waits for:
    # with the GIL held by the read, the write could not run and the read would time out.
    server = server_under_test
    fake_replica.connect()
    fake_replica.handshake()
    fake_replica.psync()
    fake_replica.receive_rdb()
    # After a diskless load the master streams only once an ACK arrives while the replica is
    # online; read_stream_until_quiet sends no periodic ACKs, so send one here.
    wait_for(lambda: server.info("replication")["slave0"]["state"] == "online", what="online")
    fake_replica.send_ack()
    start = master_offset(server)
    errors = []

    def read():
        try:
            fake_replica.read_stream_until_quiet(quiet=1.0, timeout=10)
        except conformance.ConformanceError as error:
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.2)
    server.call("SET", "from-main-thread", "1")
    reader.join(timeout=15)
    assert not reader.is_alive() and errors == []
    assert fake_replica.offset > start
    assert fake_replica.model.get("from-main-thread") == b"1"


def test_errors_are_exceptions_with_the_engine_text(server_under_test, fake_replica, tmp_path):
    fake_replica.connect()
    fake_replica.handshake()
    with pytest.raises(conformance.ConformanceError) as timeout:
        fake_replica.read_reply(timeout=0.2)
    assert timeout.value.kind == "timeout"
    assert "200 ms" in str(timeout.value) or "timed out" in str(timeout.value).lower()

    with pytest.raises(conformance.ReplyError, match="wrong number of arguments"):
        server_under_test.call("GET")
    typo = tmp_path / "typo.yaml"
    typo.write_text("id: a.b\ntitle: t\nrule: r\nsource: s\nrules: {M3: [value]}\n"
                    "steps:\n  - replica.conect: {}\n")
    with pytest.raises(conformance.ConformanceError, match=re.escape(f"{typo}:7:5: unknown step")):
        conformance.load_scenarios(typo)


def test_server_is_a_context_manager_and_always_stops():
    with conformance.Server(config={"repl-backlog-size": "1mb"}) as server:
        pid, port = server.pid, server.port
        assert server.alive
        assert server.info("replication")["repl_backlog_size"] == 1048576
        assert "Ready to accept connections" in server.log_tail(50)
    assert not server.alive
    assert "exited" in server.describe_exit() or "signal" in server.describe_exit()
    assert pid > 0 and port > 0
