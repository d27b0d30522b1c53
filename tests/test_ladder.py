"""The one ladder renderer (model/ladder.py): who sent what, the same for the
timeline pane, the report and ``tlsworkbench trace``."""

from types import SimpleNamespace as NS

from tlsworkbench.model import ladder


def _msg(direction, type_="ClientHello"):
    return NS(direction=direction, type=type_)


def test_sender_reads_in_and_out_from_the_traced_side():
    server_side, client_side, unknown = NS(role="server"), NS(role="client"), NS(role=None)
    assert ladder.sender(_msg("in"), server_side) == "client"
    assert ladder.sender(_msg("out"), server_side) == "server"
    assert ladder.sender(_msg("out"), client_side) == "client"
    assert ladder.sender(_msg("in"), client_side) == "server"
    assert ladder.sender(_msg("in"), unknown) == "client"  # unknown role: traced on the server


def test_arrow_points_away_from_the_sender_and_fits_the_width():
    right = ladder.arrow("ClientHello", "client", 30)
    left = ladder.arrow("ServerHello", "server", 30)
    assert right.startswith("ClientHello ") and right.endswith("\u25b6") and len(right) == 30
    assert left.startswith("\u25c0") and left.endswith(" ServerHello") and len(left) == 30


def test_report_ladder_puts_the_client_left_and_the_server_right():
    lad = ladder.Ladder(title="t", left="MVS1 client", right="MVS3 server", rungs=[
        ladder.Rung(time="10:00:00.01", side="left", text="ClientHello", arrow=True),
        ladder.Rung(time="10:00:00.02", side="right", text="EZD1287I RC 8", arrow=False)])
    head, rule, hello, msg = ladder.ladder_lines(lad)
    assert head.split("|")[0].strip().endswith("MVS1 client") and head.endswith("MVS3 server")
    assert set(rule) == {"-"}
    assert "ClientHello --->" in hello
    assert msg.endswith("| EZD1287I RC 8")
