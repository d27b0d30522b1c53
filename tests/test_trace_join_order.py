"""A trace and a console side without timestamps: handshakes join connections by
system, job, peer address and port, and then by order (model/trace_join.py)."""

from __future__ import annotations

from tlsworkbench.model import Connection, Session
from tlsworkbench.model.connection import Endpoint
from tlsworkbench.model.trace import Handshake
from tlsworkbench.model.trace_join import join


def _conn(cid, port, system="MVS3", job="FTPT1"):
    return Connection(id=cid, system=system, job=job, remote=Endpoint("192.168.20.91", port),
                      local=Endpoint("192.168.20.93", 21))


def test_untimed_handshakes_meet_their_connections_in_order():
    conns = [_conn("c1", 1034), _conn("c2", 1035), _conn("c3", 1036, system="MVS1")]
    hss = [Handshake(id=f"h{i}", system="MVS3", job="TCPIPT", peer=Endpoint("192.168.20.91", None))
           for i in (1, 2)]
    s = Session(connections=conns, handshakes=hss)
    join(s)
    assert [h.connection for h in hss] == ["c1", "c2"]  # never the MVS1 one, each taken once
    assert conns[0].handshakes == ["h1"] and conns[1].handshakes == ["h2"]


def test_the_port_decides_before_the_order():
    conns = [_conn("c1", 1034), _conn("c2", 1035)]
    hs = Handshake(id="h1", system="MVS3", peer=Endpoint("192.168.20.91", 1035))
    s = Session(connections=conns, handshakes=[hs])
    join(s)
    assert hs.connection == "c2"
