"""A custom scenario written only in Python: the fake master drives a real redis-server
replica step by step, and the test checks a rule with the engine's own oracles.

Rule: a replica applies a MULTI/EXEC from its master as one unit, answers REPLCONF GETACK with
exactly the master's offset (every stream byte counted: SELECT, MULTI/EXEC, PING, GETACK), and
ends with the master's keyspace (replication.c replconfCommand, multi.c execCommand)."""
import time

import pytest

from _fixtures import conformance, fake_master, server_under_test  # noqa: F401


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def test_replica_follows_a_scripted_master(server_under_test, fake_master):
    replica = server_under_test
    # The snapshot: what the model holds when the RDB is built from it.
    for key in range(20):
        assert fake_master.model.apply("SET", f"snap:{key}", str(key))
    assert fake_master.model.apply("HSET", "hash", "f1", "v1", "f2", "v2")

    replica.replicaof(fake_master.host, fake_master.port)
    fake_master.accept(timeout=10)
    request = fake_master.answer_handshake()
    assert not request.is_sync
    assert "eof" in fake_master.announce.capabilities
    decision = fake_master.answer_sync(request, framing="diskless")
    assert decision.kind == "FULLRESYNC"

    fake_master.propagate("SET", "streamed", "1")
    fake_master.transaction([["INCR", "counter"], ["RPUSH", "list", "a", "b"], ["SELECT", "2"],
                             ["SADD", "set", "x"]])
    fake_master.send_ping()
    fake_master.send_getack()
    ack = fake_master.wait_for_ack(at_least=fake_master.offset, timeout=10)
    assert ack == fake_master.offset

    info = replica.info("replication")
    assert info["role"] == "slave"
    assert info["master_link_status"] == "up"
    assert info["slave_repl_offset"] == fake_master.offset
    assert info["master_replid"] == fake_master.replid
    assert fake_master.stats.full_syncs == 1

    actual = replica.read_keyspace()
    assert conformance.Keyspace.diff(fake_master.model, actual) == []
    assert actual.get("set", db=2) == {b"x"}
    assert actual.get("list") == [b"a", b"b"]


def test_replica_continues_after_the_master_cuts_the_link(server_under_test, fake_master):
    replica = server_under_test
    fake_master.model.apply("SET", "k", "v")
    replica.replicaof(fake_master.host, fake_master.port)
    fake_master.accept()
    fake_master.answer_sync(fake_master.answer_handshake())
    fake_master.propagate("SET", "before-cut", "1")
    fake_master.send_getack()
    fake_master.wait_for_ack(at_least=fake_master.offset)

    fake_master.disconnect()
    fake_master.propagate("SET", "while-cut", "1")  # kept in the backlog until the replica is back
    fake_master.accept(timeout=15)
    request = fake_master.answer_handshake()
    assert request.replid == fake_master.replid
    decision = fake_master.answer_sync(request)
    assert decision.kind == "CONTINUE"
    fake_master.send_getack()
    assert fake_master.wait_for_ack(at_least=fake_master.offset) == fake_master.offset
    wait_for(lambda: replica.call("GET", "while-cut") == b"1", what="the backlog replay")
    assert fake_master.stats.partial_syncs == 1


def test_a_broken_master_is_refused(server_under_test, fake_master):
    # A MasterBugs field: the RDB's EOF mark does not match the announced one. Redis must
    # refuse the load and ask again, never serve a half-loaded keyspace.
    replica = server_under_test
    fake_master.model.apply("SET", "k", "v")
    fake_master.bugs.wrong_eof_mark = True
    replica.replicaof(fake_master.host, fake_master.port)
    fake_master.accept()
    fake_master.answer_sync(fake_master.answer_handshake(), framing="diskless")
    fake_master.accept(timeout=15)  # the replica reconnects for another try
    assert fake_master.stats.connections == 2
    assert replica.info("replication")["master_link_status"] == "down"
