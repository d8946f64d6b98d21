"""RDB and keyspace from Python: the engine's writer and reader round-trip a model in every
version and encoding, read Redis's own files, and a real redis-server loads what the writer
wrote."""
import pathlib

import pytest

from _fixtures import ROOT, conformance, server_under_test  # noqa: F401

RDB_FIXTURES = ROOT / "tests" / "data" / "rdb"


def mixed_model(version=10) -> conformance.Keyspace:
    model = conformance.Keyspace()
    commands = [
        ["SET", "string", "value"], ["SET", "int", "12345"], ["SET", "big", "x" * 300],
        ["RPUSH", "list", *[str(i) for i in range(200)]], ["SADD", "intset", "1", "2", "3"],
        ["SADD", "set", "a", "b", "c"], ["ZADD", "zset", "1.5", "a", "2", "b", "-3", "c"],
        ["HSET", "hash", "f1", "v1", "f2", "v2"], ["SET", "ttl", "v", "PXAT", "4102444800000"],
        ["SELECT", "5"], ["SET", "in-db-5", "yes"], ["SELECT", "0"],
    ]
    if version >= 9:  # streams appeared in RDB 9
        commands += [["XADD", "stream", "1-1", "f", "v"], ["XADD", "stream", "2-1", "g", "w"]]
    if version >= 10:  # RDB 9 has no group entries_read: a reader estimates it, as Redis does
        commands += [["XGROUP", "CREATE", "stream", "group", "0"]]
    for argv in commands:
        result = model.apply(argv)
        assert result.ok, result
    return model


@pytest.mark.parametrize("version", [7, 9, 10, 11, 12])
@pytest.mark.parametrize("encoding", ["compact", "plain"])
def test_write_then_read_round_trips(version, encoding):
    model = mixed_model(version)
    data = conformance.write_rdb(model, version=version, encoding=encoding, ctime=0,
                                 repl_id="a" * 40, repl_offset=77, repl_stream_db=5)
    assert data.startswith(b"REDIS%04d" % version)
    loaded = conformance.read_rdb(data)
    assert loaded.version == version
    assert loaded.keys == len(model)
    assert (loaded.repl_id, loaded.repl_offset, loaded.repl_stream_db) == ("a" * 40, 77, 5)
    assert conformance.Keyspace.diff(model, loaded.keyspace) == []
    assert loaded.keyspace.digest() == model.digest()
    assert loaded.keyspace.find("ttl").expire_at_ms == 4102444800000
    assert loaded.keyspace.get("zset") == {b"c": -3.0, b"a": 1.5, b"b": 2.0}


def test_the_writer_refuses_what_a_version_cannot_hold():
    with pytest.raises(conformance.ConformanceError, match="stream"):
        conformance.write_rdb(mixed_model(), version=8)


def test_a_corrupt_file_names_the_offset():
    data = bytearray(conformance.write_rdb(mixed_model(), ctime=0))
    data[40] ^= 0xFF
    with pytest.raises(conformance.ConformanceError, match="RDB offset") as error:
        conformance.read_rdb(bytes(data))
    assert error.value.kind in ("protocol error", "error")


def test_reads_redis_files_by_path_and_by_bytes():
    path = RDB_FIXTURES / "redis-7.0-plain.rdb"
    by_path = conformance.read_rdb(path)
    by_bytes = conformance.read_rdb(path.read_bytes())
    assert by_path.version == 10 and by_path.keys > 0
    assert by_path.keyspace.digest() == by_bytes.keyspace.digest()


def test_dump_payloads_round_trip():
    model = mixed_model()
    for key in model.keys():
        entry = model.find(key)
        decoded = conformance.decode_dump(conformance.encode_dump(entry))
        assert decoded.type == entry.type
        assert decoded.value == entry.value


def test_the_keyspace_diff_names_the_first_differences():
    expected, actual = mixed_model(), mixed_model()
    actual.apply("SET", "string", "other")
    actual.apply("DEL", "list")
    differences = conformance.Keyspace.diff(expected, actual)
    assert [(d.key, d.kind) for d in differences] == [(b"list", "missing"), (b"string", "value")]
    assert "other" in differences[1].actual
    assert expected.digest() != actual.digest()


def test_a_real_server_loads_what_the_writer_wrote(server_under_test):
    model = mixed_model()
    server = server_under_test
    pathlib.Path(server.dir, "dump.rdb").write_bytes(conformance.write_rdb(model))
    server.restart()  # same dir: the server loads dump.rdb on start
    assert conformance.Keyspace.diff(model, server.read_keyspace()) == []
