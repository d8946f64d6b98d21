#!/usr/bin/python3
"""A minimal Redis-compatible server, used by the project's own tests as a stand-in for the small
new server implementations that the conformance gate is meant for.

What it has: RESP2 (multibulk commands; inline commands tolerated), one database of strings with
expiries, the commands PING ECHO SET GET DEL UNLINK EXISTS INCR INCRBY APPEND MSET EXPIRE PEXPIRE
EXPIREAT PEXPIREAT TTL PTTL PERSIST TYPE DBSIZE KEYS SCAN FLUSHALL FLUSHDB REPLICAOF/SLAVEOF ROLE
INFO, and master/replica replication: as a master it always does a full resync (RDB version 9
with a real CRC-64) and then propagates its writes byte for byte; as a replica it loads an RDB of
strings (versions 1-12, integer and LZF encodings) and applies the master's command stream,
counting the replication offset and acknowledging it.

What it deliberately lacks: SELECT, AUTH, CONFIG, DEBUG, DUMP, COMMAND, MULTI/EXEC for clients,
every type but strings, a replication backlog (so no partial resync: PSYNC always answers
+FULLRESYNC), diskless "capa eof" transfers, chained replication (a replica refuses replicas),
persistence (--dir is accepted and ignored), and an INFO that tells more than role:master or
role:slave in its replication section. Glob patterns use fnmatch, not Redis's matcher.

Usage: /usr/bin/python3 minimal_server.py --port N [--bind 127.0.0.1] [--dir D]
                                          [--replicaof HOST PORT]
Python 3.11 standard library only. Logs to stdout; exits cleanly on SIGTERM/SIGINT.
"""
import argparse
import asyncio
import fnmatch
import ipaddress
import os
import re
import secrets
import signal
import sys
import time

MAX_INLINE = 64 * 1024
MAX_BULK = 512 * 1024 * 1024
REPL_TIMEOUT = 60.0       # seconds without data from the master before the link is dropped
PING_PERIOD = 10.0        # a master pings its replicas this often (like repl-ping-replica-period)
ACK_PERIOD = 1.0          # a replica acknowledges its offset this often
OK, NIL, PONG = b"+OK\r\n", b"$-1\r\n", b"+PONG\r\n"
INT_RE = re.compile(rb"-?(0|[1-9][0-9]*)")


def now_ms() -> int:
    return int(time.time() * 1000)


def log(msg: str, level: str = "*") -> None:
    t = time.time()
    stamp = time.strftime("%d %b %Y %H:%M:%S", time.localtime(t)) + ".%03d" % (int(t * 1000) % 1000)
    print(f"{os.getpid()}:{log.role} {stamp} {level} {msg}")


log.role = "M"


class ProtocolError(Exception):
    pass


class RdbError(Exception):
    pass


class ReplicationError(Exception):
    pass


class CommandError(Exception):
    pass


# ---------------------------------------------------------------- RESP
def parse_command(buf: bytearray, pos: int):
    """One command from buf[pos:]: (args, end), or None if it is not complete yet."""
    if pos >= len(buf):
        return None
    if buf[pos] != ord("*"):  # inline command, e.g. "PING\r\n"
        nl = buf.find(b"\n", pos)
        if nl < 0:
            if len(buf) - pos > MAX_INLINE:
                raise ProtocolError("too big inline request")
            return None
        return bytes(buf[pos:nl]).split(), nl + 1
    nl = buf.find(b"\r\n", pos)
    if nl < 0:
        if len(buf) - pos > MAX_INLINE:
            raise ProtocolError("too big mbulk count string")
        return None
    count = _parse_len(buf[pos + 1:nl], "invalid multibulk length", 1024 * 1024, allow_negative=True)
    p, args = nl + 2, []
    for _ in range(count):
        nl = buf.find(b"\r\n", p)
        if nl < 0:
            if len(buf) - p > MAX_INLINE:
                raise ProtocolError("too big bulk count string")
            return None
        if buf[p] != ord("$"):
            raise ProtocolError(f"expected '$', got '{chr(buf[p])}'")
        size = _parse_len(buf[p + 1:nl], "invalid bulk length", MAX_BULK)
        p = nl + 2
        if len(buf) < p + size + 2:
            return None
        if buf[p + size:p + size + 2] != b"\r\n":
            raise ProtocolError("bulk string not terminated by CRLF")
        args.append(bytes(buf[p:p + size]))
        p += size + 2
    return args, p


def _parse_len(raw, what: str, limit: int, allow_negative=False) -> int:
    try:
        n = int(bytes(raw))
    except ValueError:
        raise ProtocolError(what) from None
    if n > limit or (n < 0 and not allow_negative):  # "*-1" and "*0" are empty commands
        raise ProtocolError(what)
    return n


def encode_command(args) -> bytes:
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


def enc(v) -> bytes:
    if v is None:
        return NIL
    if isinstance(v, int):
        return b":%d\r\n" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"$%d\r\n%s\r\n" % (len(v), v)
    return b"*%d\r\n" % len(v) + b"".join(enc(x) for x in v)


def err(msg: str) -> bytes:
    return b"-" + msg.replace("\r", " ").replace("\n", " ").encode() + b"\r\n"


def to_int(raw: bytes) -> int:
    if raw is None or not INT_RE.fullmatch(raw) or not -2**63 <= int(raw) < 2**63:
        raise CommandError("ERR value is not an integer or out of range")
    return int(raw)


# ---------------------------------------------------------------- RDB
def _crc64_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x95AC9329AC4BC9B5 if c & 1 else c >> 1  # 0xad93d23594c935a9, reflected
        table.append(c)
    return table


CRC64_TABLE = _crc64_table()


def crc64(data: bytes, crc: int = 0) -> int:
    """Redis's CRC-64 (Jones, reflected, no final xor): crc64(b"123456789") == 0xe9c6d914c4b8d9ca."""
    for b in data:
        crc = CRC64_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def lzf_decompress(data: bytes, expected: int) -> bytes:
    out, i = bytearray(), 0
    while i < len(data):
        ctrl = data[i]
        i += 1
        if ctrl < 32:  # a literal run of ctrl + 1 bytes
            out += data[i:i + ctrl + 1]
            i += ctrl + 1
            continue
        length = ctrl >> 5  # a back reference
        if length == 7:
            length += data[i]
            i += 1
        ref = len(out) - ((ctrl & 0x1F) << 8) - data[i] - 1
        i += 1
        if ref < 0:
            raise RdbError("invalid LZF back reference")
        for _ in range(length + 2):
            out.append(out[ref])
            ref += 1
    if len(out) != expected:
        raise RdbError(f"LZF data decompressed to {len(out)} bytes, expected {expected}")
    return bytes(out)


def rdb_len(n: int) -> bytes:
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    if n <= 0xFFFFFFFF:
        return b"\x80" + n.to_bytes(4, "big")
    return b"\x81" + n.to_bytes(8, "big")


def rdb_str(s: bytes) -> bytes:
    return rdb_len(len(s)) + s


class RdbReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 9

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise RdbError("truncated RDB payload")
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def length(self):
        """(value, is_special_encoding)"""
        b = self.take(1)[0]
        kind = b >> 6
        if kind == 0:
            return b & 0x3F, False
        if kind == 1:
            return ((b & 0x3F) << 8) | self.take(1)[0], False
        if b == 0x80:
            return int.from_bytes(self.take(4), "big"), False
        if b == 0x81:
            return int.from_bytes(self.take(8), "big"), False
        if kind == 3:
            return b & 0x3F, True
        raise RdbError(f"unknown length encoding 0x{b:02x}")

    def string(self) -> bytes:
        n, special = self.length()
        if not special:
            return self.take(n)
        if n in (0, 1, 2):  # 8, 16 and 32 bit integers, little endian
            return str(int.from_bytes(self.take(1 << n), "little", signed=True)).encode()
        if n == 3:
            clen, ulen = self.length()[0], self.length()[0]
            return lzf_decompress(self.take(clen), ulen)
        raise RdbError(f"unknown string encoding {n}")

    def skip_module_aux(self) -> None:
        self.length()                   # module id
        self.length(), self.length()    # "when" opcode and value
        while True:
            opcode = self.length()[0]
            if opcode == 0:             # EOF
                return
            if opcode in (1, 2):        # signed, unsigned integer
                self.length()
            elif opcode in (3, 4):      # float, double
                self.take(4 if opcode == 3 else 8)
            elif opcode == 5:           # string
                self.string()
            else:
                raise RdbError(f"unknown module value opcode {opcode}")


def parse_rdb(payload: bytes, fragile: bool = False):
    """The strings of db 0 of an RDB file: (data, expires). Raises RdbError.

    fragile (--bug rdb-crash) plants a crash for the fuzzer's test: a key or value whose length
    uses the 32-bit form (first byte 0x80) kills the process, as a missing bounds check would."""
    if payload[:5] != b"REDIS" or not payload[5:9].isdigit():
        raise RdbError("wrong signature of the RDB payload")
    version = int(payload[5:9])
    if not 1 <= version <= 12:
        raise RdbError(f"can't handle RDB format version {version}")
    r, data, expires, db, expire = RdbReader(payload), {}, {}, 0, None
    while True:
        op = r.take(1)[0]
        if op == 0xFA:                  # AUX field
            r.string(), r.string()
        elif op == 0xFB:                # RESIZEDB
            r.length(), r.length()
        elif op == 0xFC:                # EXPIRETIME_MS
            expire = int.from_bytes(r.take(8), "little", signed=True)
        elif op == 0xFD:                # EXPIRETIME (seconds)
            expire = int.from_bytes(r.take(4), "little", signed=True) * 1000
        elif op == 0xFE:                # SELECTDB
            db = r.length()[0]
        elif op == 0xFF:                # EOF
            break
        elif op == 0xF9:                # FREQ
            r.take(1)
        elif op == 0xF8:                # IDLE
            r.length()
        elif op == 0xF7:                # MODULE_AUX
            r.skip_module_aux()
        elif op == 0xF5:                # FUNCTION2: one library's code
            r.string()
        elif op == 0xF4:                # SLOT_INFO (RDB 12)
            r.length(), r.length(), r.length()
        elif op != 0:
            raise RdbError(f"unsupported type {op}")
        else:
            if fragile and r.pos < len(payload) and payload[r.pos] == 0x80:
                os.abort()
            key = r.string()
            if fragile and r.pos < len(payload) and payload[r.pos] == 0x80:
                os.abort()
            value = r.string()
            if db == 0:
                data[key] = value
                if expire is not None:
                    expires[key] = expire
            expire = None
    if version >= 5:
        stored = int.from_bytes(r.take(8), "little")
        if stored and stored != crc64(payload[:r.pos - 8]):
            raise RdbError("wrong RDB checksum")
    return data, expires


# ---------------------------------------------------------------- server
class Conn:
    def __init__(self, writer, from_master=False):
        self.writer, self.from_master = writer, from_master
        peer = writer.get_extra_info("peername") if writer else None
        self.ip = peer[0] if peer else "?"
        self.addr = f"{peer[0]}:{peer[1]}" if peer else "master"
        self.replica, self.listening_port, self.ack_offset = False, 0, 0


class Server:
    # name: (method, minimum argc, maximum argc or None, is a write)
    COMMANDS = {
        "ping": ("ping", 1, 2, False), "echo": ("echo", 2, 2, False),
        "set": ("set", 3, None, True), "get": ("get", 2, 2, False),
        "del": ("del", 2, None, True), "unlink": ("del", 2, None, True),
        "exists": ("exists", 2, None, False), "incr": ("incr", 2, 2, True),
        "incrby": ("incr", 3, 3, True), "append": ("append", 3, 3, True),
        "mset": ("mset", 3, None, True), "expire": ("expire", 3, 3, True),
        "pexpire": ("expire", 3, 3, True), "expireat": ("expire", 3, 3, True),
        "pexpireat": ("expire", 3, 3, True), "ttl": ("ttl", 2, 2, False),
        "pttl": ("ttl", 2, 2, False), "persist": ("persist", 2, 2, True),
        "type": ("type", 2, 2, False), "dbsize": ("dbsize", 1, 1, False),
        "keys": ("keys", 2, 2, False), "scan": ("scan", 2, None, False),
        "flushall": ("flushall", 1, 2, True), "flushdb": ("flushall", 1, 2, True),
        "replicaof": ("replicaof", 3, 3, False), "slaveof": ("replicaof", 3, 3, False),
        "role": ("role", 1, 1, False), "info": ("info", 1, None, False),
        "replconf": ("replconf", 1, None, False), "psync": ("sync", 3, 3, False),
        "sync": ("sync", 1, 1, False),
    }

    def __init__(self, port: int, bind: str, bugs=()):
        self.port, self.bind = port, bind
        self.bugs = set(bugs)  # deliberate rule breaks, for the tests that the harness catches them
        self.data, self.expires = {}, {}
        self.role, self.replid, self.offset = "master", secrets.token_hex(20), 0
        self.replicas, self.clients = [], set()
        self.master_addr, self.link_state, self.synced, self.repl_task = None, "connect", False, None
        self.master_conn = Conn(None, from_master=True)

    # ---- keyspace
    def lookup(self, c: Conn, key: bytes):
        value = self.data.get(key)
        if value is None or c.from_master:  # a master's commands see logically expired keys
            return value
        when = self.expires.get(key)
        if when is not None and when <= now_ms():
            if self.role == "master":       # a replica waits for the master's DEL
                self.remove(key)
                self.propagate([b"DEL", key])
            return None
        return value

    def store(self, key: bytes, value: bytes, expire_at=None, keep_ttl=False) -> None:
        self.data[key] = value
        if expire_at is not None:
            self.expires[key] = expire_at
        elif not keep_ttl:
            self.expires.pop(key, None)

    def remove(self, key: bytes) -> None:
        self.data.pop(key, None)
        self.expires.pop(key, None)

    def propagate(self, args) -> None:
        if self.role != "master":
            return
        payload = encode_command(args)
        self.offset += len(payload)
        for r in self.replicas:
            r.writer.write(payload)

    # ---- dispatch
    def execute(self, c: Conn, args) -> bytes | None:
        name = args[0].decode("utf-8", "replace")
        spec = self.COMMANDS.get(name.lower())
        if spec is None:
            return err(f"ERR unknown command '{name}'")
        method, lo, hi, write = spec
        if len(args) < lo or (hi is not None and len(args) > hi):
            return err(f"ERR wrong number of arguments for '{name.lower()}' command")
        if write and self.role == "replica" and not c.from_master:
            return err("READONLY You can't write against a read only replica.")
        try:
            return getattr(self, "cmd_" + method)(c, args)
        except CommandError as e:
            return err(str(e))
        except Exception as e:  # a bug in one command must not take the server down
            log(f"Internal error executing '{name}': {e!r}", "#")
            return err(f"ERR internal error: {e!r}")

    # ---- commands
    def cmd_ping(self, c, a):
        return PONG if len(a) == 1 else enc(a[1])

    def cmd_echo(self, c, a):
        return enc(a[1])

    def cmd_set(self, c, a):
        key, value, i, expire_at = a[1], a[2], 3, None
        nx = xx = get = keep_ttl = False
        while i < len(a):
            opt = a[i].upper()
            if opt == b"NX" and not xx:
                nx = True
            elif opt == b"XX" and not nx:
                xx = True
            elif opt == b"GET":
                get = True
            elif opt == b"KEEPTTL" and expire_at is None:
                keep_ttl = True
            elif opt in (b"EX", b"PX", b"EXAT", b"PXAT") and expire_at is None and not keep_ttl \
                    and i + 1 < len(a):
                n, i = to_int(a[i + 1]), i + 1
                expire_at = {b"EX": now_ms() + n * 1000, b"PX": now_ms() + n,
                             b"EXAT": n * 1000, b"PXAT": n}[opt]
                if n <= 0 or expire_at >= 2**63:
                    raise CommandError("ERR invalid expire time in 'set' command")
            else:
                raise CommandError("ERR syntax error")
            i += 1
        old = self.lookup(c, key)
        if (nx and old is not None) or (xx and old is None):
            return enc(old) if get else NIL
        self.store(key, value, expire_at, keep_ttl)
        # Like Redis 7: a relative expiry is propagated as an absolute one (SET ... PXAT ms).
        out = [b"SET", key, value]
        out += [b"PXAT", b"%d" % expire_at] if expire_at is not None else [b"KEEPTTL"] if keep_ttl else []
        self.propagate(out)
        return enc(old) if get else OK

    def cmd_get(self, c, a):
        return enc(self.lookup(c, a[1]))

    def cmd_del(self, c, a):
        n = 0
        for key in a[1:]:
            if self.lookup(c, key) is not None:
                self.remove(key)
                n += 1
        if n:
            self.propagate(a)
        return enc(n)

    def cmd_exists(self, c, a):
        return enc(sum(self.lookup(c, k) is not None for k in a[1:]))

    def cmd_incr(self, c, a):
        old = self.lookup(c, a[1])
        new = (0 if old is None else to_int(old)) + (to_int(a[2]) if len(a) == 3 else 1)
        if not -2**63 <= new < 2**63:
            raise CommandError("ERR increment or decrement would overflow")
        self.store(a[1], b"%d" % new, keep_ttl=True)
        self.propagate(a)
        return enc(new)

    def cmd_append(self, c, a):
        value = (self.lookup(c, a[1]) or b"") + a[2]
        self.store(a[1], value, keep_ttl=True)
        self.propagate(a)
        return enc(len(value))

    def cmd_mset(self, c, a):
        if len(a) % 2 == 0:
            raise CommandError("ERR wrong number of arguments for 'mset' command")
        for i in range(1, len(a), 2):
            self.store(a[i], a[i + 1])
        self.propagate(a)
        return OK

    def cmd_expire(self, c, a):
        name, n = a[0].lower(), to_int(a[2])
        unit = 1 if name.startswith(b"p") else 1000
        when = n * unit if name.endswith(b"at") else now_ms() + n * unit
        if abs(when) >= 2**63:
            raise CommandError(f"ERR invalid expire time in '{name.decode()}' command")
        if self.lookup(c, a[1]) is None:
            return enc(0)
        if when <= now_ms() and not c.from_master:
            self.remove(a[1])
            self.propagate([b"DEL", a[1]])
        else:
            self.expires[a[1]] = when
            self.propagate([b"PEXPIREAT", a[1], b"%d" % when])
        return enc(1)

    def cmd_ttl(self, c, a):
        if self.lookup(c, a[1]) is None:
            return enc(-2)
        when = self.expires.get(a[1])
        if when is None:
            return enc(-1)
        ms = max(0, when - now_ms())
        return enc(ms if a[0].lower() == b"pttl" else (ms + 500) // 1000)

    def cmd_persist(self, c, a):
        if self.lookup(c, a[1]) is None or self.expires.pop(a[1], None) is None:
            return enc(0)
        self.propagate(a)
        return enc(1)

    def cmd_type(self, c, a):
        return b"+none\r\n" if self.lookup(c, a[1]) is None else b"+string\r\n"

    def cmd_dbsize(self, c, a):
        return enc(len(self.data))

    def matching(self, c, pattern):
        pat = pattern.decode("latin-1").replace("[^", "[!")
        return [k for k in list(self.data) if fnmatch.fnmatchcase(k.decode("latin-1"), pat)
                and self.lookup(c, k) is not None]

    def cmd_keys(self, c, a):
        return enc(self.matching(c, a[1]))

    def cmd_scan(self, c, a):
        if not INT_RE.fullmatch(a[1]) or int(a[1]) < 0:
            raise CommandError("ERR invalid cursor")
        pattern, i = b"*", 2
        while i < len(a):
            opt = a[i].upper()
            if i + 1 >= len(a) or opt not in (b"MATCH", b"COUNT", b"TYPE"):
                raise CommandError("ERR syntax error")
            if opt == b"MATCH":
                pattern = a[i + 1]
            elif opt == b"COUNT" and to_int(a[i + 1]) < 1:
                raise CommandError("ERR syntax error")
            elif opt == b"TYPE" and a[i + 1].lower() != b"string":
                pattern = None
            i += 2
        keys = [] if pattern is None or int(a[1]) != 0 else self.matching(c, pattern)
        return enc([b"0", keys])  # every key in one page

    def cmd_flushall(self, c, a):
        self.data.clear()
        self.expires.clear()
        self.propagate(a[:1])
        return OK

    def cmd_replicaof(self, c, a):
        if a[1].lower() == b"no" and a[2].lower() == b"one":
            if self.role == "replica":
                log(f"MASTER MODE enabled (user request from '{c.addr}')")
                self.become_master()
            return OK
        port = to_int(a[2])
        if not 0 < port < 65536:
            raise CommandError("ERR Invalid master port")
        host = a[1].decode()
        if self.role == "replica" and self.master_addr == (host, port):
            return b"+OK Already connected to specified master\r\n"
        log(f"REPLICAOF {host}:{port} enabled (user request from '{c.addr}')")
        self.become_replica(host, port)
        return OK

    def cmd_role(self, c, a):
        if self.role == "master":
            return enc([b"master", self.offset, [[r.ip, str(r.listening_port), str(r.ack_offset)]
                                                  for r in self.replicas]])
        host, port = self.master_addr
        return enc([b"slave", host, port, self.link_state, self.offset if self.synced else -1])

    def cmd_info(self, c, a):
        wanted = [s.lower() for s in a[1:]] or [b"default"]
        sections = []
        for name, body in (("Server", f"minimal_server_version:1.0\r\nprocess_id:{os.getpid()}\r\n"
                                      f"tcp_port:{self.port}"),
                           ("Replication", "role:" + ("master" if self.role == "master" else "slave")),
                           ("Keyspace", f"db0:keys={len(self.data)},expires={len(self.expires)},"
                                        "avg_ttl=0" if self.data else "")):
            if any(w in (b"all", b"default", b"everything", name.lower().encode()) for w in wanted):
                sections.append(f"# {name}\r\n{body}\r\n" if body else f"# {name}\r\n")
        return enc("\r\n".join(sections))

    def cmd_replconf(self, c, a):
        sub = a[1].lower() if len(a) > 1 else b""
        if sub == b"ack":
            if len(a) > 2 and INT_RE.fullmatch(a[2]):
                c.ack_offset = int(a[2])
            return OK if "ack-reply" in self.bugs else None  # never answered (rule M9)
        if sub == b"listening-port" and len(a) > 2 and a[2].isdigit():
            c.listening_port = int(a[2])
        return OK

    def cmd_sync(self, c, a):
        if self.role != "master":
            return err("ERR this minimal server does not support chained replication")
        log(f"Replica {c.ip}:{c.listening_port} asks for synchronization")
        if "psync-crash" in self.bugs and a[0].lower() == b"psync" and len(a) == 3:
            try:
                offset = int(a[2])
            except ValueError:
                offset = 0
            if offset < -1:  # a backlog indexed by an unchecked offset, as in C
                os.kill(os.getpid(), signal.SIGSEGV)
        rdb = self.make_rdb()
        if a[0].lower() == b"psync":
            log(f"Full resync requested by replica {c.ip}:{c.listening_port}")
            c.writer.write(b"+FULLRESYNC %s %d\r\n" % (self.replid.encode(), self.offset))
        c.writer.write(b"$%d\r\n" % len(rdb) + rdb)
        c.replica = True
        self.replicas.append(c)
        log(f"Synchronization with replica {c.ip}:{c.listening_port} succeeded ({len(rdb)} bytes)")
        return None

    def make_rdb(self) -> bytes:
        out = bytearray(b"REDIS0009")
        for k, v in ((b"redis-bits", b"64"), (b"ctime", b"%d" % time.time())):
            out += b"\xfa" + rdb_str(k) + rdb_str(v)
        out += b"\xfe\x00\xfb" + rdb_len(len(self.data)) + rdb_len(len(self.expires))
        for key, value in self.data.items():
            if key in self.expires:
                out += b"\xfc" + self.expires[key].to_bytes(8, "little", signed=True)
            out += b"\x00" + rdb_str(key) + rdb_str(value)
        out += b"\xff"
        return bytes(out + crc64(out).to_bytes(8, "little"))

    # ---- roles
    def drop_replicas(self) -> None:
        for r in self.replicas:
            r.writer.close()
        self.replicas.clear()

    def become_replica(self, host: str, port: int) -> None:
        self.drop_replicas()
        if self.repl_task:
            self.repl_task.cancel()
        self.role, self.master_addr, self.link_state, self.synced = "replica", (host, port), "connect", False
        log.role = "S"
        self.repl_task = asyncio.create_task(self.replicate(host, port))

    def become_master(self) -> None:
        if self.repl_task:
            self.repl_task.cancel()
        self.repl_task, self.role, self.master_addr, self.replid = None, "master", None, secrets.token_hex(20)
        if not self.synced:
            self.offset = 0
        log.role = "M"

    async def replicate(self, host: str, port: int) -> None:
        while True:
            self.link_state = "connect"
            log(f"Connecting to MASTER {host}:{port}")
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
            except OSError as e:
                log(f"Error condition on socket for SYNC: {e}", "#")
                await asyncio.sleep(1)
                continue
            log("MASTER <-> REPLICA sync started")
            ack_task = None
            try:
                await self.handshake(reader, writer)
                ack_task = asyncio.create_task(self.ack_loop(writer))
                await self.stream_from_master(reader, writer)
            except Exception as e:  # OSError, EOFError, ProtocolError, RdbError, ReplicationError...
                log(f"Replication link with MASTER {host}:{port} dropped: {type(e).__name__}: {e}", "#")
            finally:
                if ack_task:
                    ack_task.cancel()
                writer.close()
            self.link_state = "connect"
            await asyncio.sleep(1)

    async def handshake(self, reader, writer) -> None:
        async def call(*args):
            writer.write(encode_command(args))
            await writer.drain()
            return await read_line(reader)

        reply = await call(b"PING")
        if reply.startswith(b"-") and not reply.startswith((b"-NOAUTH", b"-NOPERM")):
            raise ReplicationError(f"error reply to PING: {reply.decode(errors='replace')}")
        reply = await call(b"REPLCONF", b"listening-port", b"%d" % self.port)
        if reply.startswith(b"-"):
            log(f"(Non critical) Master does not understand REPLCONF listening-port: {reply!r}", "#")
        reply = await call(b"PSYNC", b"?", b"-1")
        if reply.startswith(b"+CONTINUE"):
            log("Successful partial resynchronization with master: keeping the data set")
            self.replid = reply.split()[1].decode() if len(reply.split()) > 1 else self.replid
        elif reply.startswith(b"+FULLRESYNC") and len(reply.split()) == 3:
            replid, offset = reply.split()[1].decode(), int(reply.split()[2])
            log(f"Full resync from master: {replid}:{offset}")
            self.link_state = "sync"
            header = await read_line(reader)
            if not header.startswith(b"$") or header.startswith(b"$EOF:"):
                raise ProtocolError(f"unexpected RDB payload header {header[:60]!r}")
            size = int(header[1:])
            log(f"MASTER <-> REPLICA sync: receiving {size} bytes from master")
            payload = await asyncio.wait_for(reader.readexactly(size), REPL_TIMEOUT)
            data, expires = parse_rdb(payload, fragile="rdb-crash" in self.bugs)
            log(f"MASTER <-> REPLICA sync: Flushing old data, loading {len(data)} keys")
            self.data, self.expires, self.replid, self.offset = data, expires, replid, offset
        else:
            raise ReplicationError(f"unexpected reply to PSYNC: {reply.decode(errors='replace')}")
        self.synced, self.link_state = True, "connected"
        log("MASTER <-> REPLICA sync: Finished with success")

    async def ack_loop(self, writer) -> None:
        while True:
            writer.write(encode_command([b"REPLCONF", b"ACK", b"%d" % self.offset]))
            await asyncio.sleep(ACK_PERIOD)

    async def stream_from_master(self, reader, writer) -> None:
        buf, db = bytearray(), 0
        while True:
            chunk = await asyncio.wait_for(reader.read(65536), REPL_TIMEOUT)
            if not chunk:
                raise EOFError("connection closed by master")
            buf += chunk
            pos = 0
            while (parsed := parse_command(buf, pos)) is not None:
                args, end = parsed
                self.offset += end - pos  # every byte of the stream counts, the GETACK included
                pos = end
                if args:
                    db = self.apply_from_master(args, writer, db)
            del buf[:pos]

    def apply_from_master(self, args, writer, db: int) -> int:
        name = args[0].lower()
        if name == b"select" and len(args) == 2 and args[1].isdigit():
            if int(args[1]) != 0:
                log(f"Master selected db {int(args[1])}: its writes are ignored (one database only)", "#")
            return int(args[1])
        if name == b"replconf" and len(args) > 1 and args[1].lower() == b"getack":
            writer.write(encode_command([b"REPLCONF", b"ACK", b"%d" % self.offset]))
        elif name in (b"ping", b"multi", b"exec", b"replconf") or db != 0:
            pass
        else:
            reply = self.execute(self.master_conn, args)
            if reply and reply.startswith(b"-"):
                log(f"Error executing a command from the master "
                    f"({args[0].decode(errors='replace')}): {reply.decode(errors='replace').strip()}", "#")
        return db

    # ---- network
    async def handle_client(self, reader, writer) -> None:
        c = Conn(writer)
        self.clients.add(c)
        buf = bytearray()
        try:
            while chunk := await reader.read(65536):
                buf += chunk
                pos = 0
                try:
                    while (parsed := parse_command(buf, pos)) is not None:
                        args, pos = parsed
                        if c.replica:  # a replica link: only its acknowledgements matter
                            if len(args) > 2 and args[0].lower() == b"replconf" and args[1].lower() == b"ack":
                                if (reply := self.cmd_replconf(c, args)) is not None:
                                    writer.write(reply)  # only with --bug ack-reply
                        elif args:
                            reply = self.execute(c, args)
                            if reply is not None:
                                writer.write(reply)
                except ProtocolError as e:
                    log(f"Protocol error from client {c.addr}: {e}", "#")
                    writer.write(err(f"ERR Protocol error: {e}"))
                    break
                del buf[:pos]
                await writer.drain()
        except OSError:
            pass
        finally:
            self.clients.discard(c)
            if c in self.replicas:
                self.replicas.remove(c)
                log(f"Connection with replica {c.ip}:{c.listening_port} lost.")
            writer.close()

    async def cron(self) -> None:
        last_ping = time.monotonic()
        while True:
            await asyncio.sleep(0.1)
            if self.role != "master":
                continue
            now = now_ms()
            for key in [k for k, when in self.expires.items() if when <= now]:  # active expiry
                self.remove(key)
                self.propagate([b"DEL", key])
            if time.monotonic() - last_ping >= PING_PERIOD:
                last_ping = time.monotonic()
                if self.replicas:
                    self.propagate([b"PING"])

    async def run(self, replicaof) -> int:
        loop, stop = asyncio.get_running_loop(), asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda s=sig: (log(f"Received {s.name} scheduling shutdown..."),
                                                        stop.set()))
        try:
            listener = await asyncio.start_server(self.handle_client, self.bind, self.port)
        except OSError as e:
            log(f"Could not create server TCP listening socket {self.bind}:{self.port}: {e}", "#")
            return 1
        log(f"Minimal Redis-compatible server, port {self.port}, pid {os.getpid()}")
        log("Ready to accept connections")
        if replicaof:
            self.become_replica(replicaof[0], int(replicaof[1]))
        cron = asyncio.create_task(self.cron())
        await stop.wait()
        listener.close()
        for task in (cron, self.repl_task):
            if task:
                task.cancel()
        for c in list(self.clients):
            c.writer.close()
        log("Ready to exit, bye bye...")
        return 0


async def read_line(reader) -> bytes:
    """The next reply line from the master, skipping the bare newlines it sends as keepalives."""
    while True:
        line = await asyncio.wait_for(reader.readline(), REPL_TIMEOUT)
        if not line.endswith(b"\n"):
            raise EOFError("connection closed by master")
        if line.strip(b"\r\n"):
            return line.rstrip(b"\r\n")


def main() -> int:
    p = argparse.ArgumentParser(description="A minimal Redis-compatible server (strings only).")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--dir", help="accepted and ignored: this server persists nothing")
    p.add_argument("--replicaof", nargs=2, metavar=("HOST", "PORT"))
    p.add_argument("--bug", action="append", default=[], choices=["ack-reply", "rdb-crash", "psync-crash"],
                   help="break a rule on purpose: ack-reply answers REPLCONF ACK with +OK; "
                        "rdb-crash dies on a 32-bit string length in a snapshot's keys; "
                        "psync-crash dies on a PSYNC offset below -1")
    args = p.parse_args()
    try:
        loopback = ipaddress.ip_address(args.bind).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        p.error(f"--bind {args.bind}: only loopback addresses are allowed")
    if args.replicaof and not args.replicaof[1].isdigit():
        p.error("--replicaof HOST PORT: PORT must be a number")
    sys.stdout.reconfigure(line_buffering=True)
    return asyncio.run(Server(args.port, args.bind, args.bug).run(args.replicaof))


if __name__ == "__main__":
    sys.exit(main())
