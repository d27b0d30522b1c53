"""Hex dump reassembly from trace dump lines (ingest/hexdump.py)."""

from tlsworkbench.ingest.hexdump import HexDump, is_dump_line, merge, parse_dump

SEED_CLIENT_HELLO = [
    "CLIENT-HELLO message",
    '00000000: 0100002D 03025089 8BF6761E A90F924A "...P...v...J"',
    '00000010: 0B909203 45AE6AD5 DC1ECCCF 3AF60746 "...Ej.....F"',
    '00000020: 275180D1 DCD00000 0600FF00 0A002F01 "Q...../*"',
    "00000030: 00",
]


def test_seed_client_hello_reassembles_49_bytes():
    d = parse_dump(SEED_CLIENT_HELLO)
    assert d.title == "CLIENT-HELLO message"
    assert d.complete and not d.gaps
    assert len(d.prefix()) == 49  # "49 bytes received" in the seed
    assert d.prefix()[:6] == bytes.fromhex("0100002D0302")
    assert d.prefix()[-1] == 0


def test_star_delimited_text_and_short_last_line():
    d = parse_dump(["00000000: 16030100 2A010000  *....*....*", "00000008: 26"])
    assert d.prefix() == bytes.fromhex("160301002A01000026")


def test_odd_length_group_is_a_four_byte_gap_and_the_rest_is_kept():
    d = parse_dump(["CERTIFICATE message",
                    '00000000: 0B000523 00052000 02A13082 029D3082 "..."',
                    '00000010: 0206A003 02010202 0106300D 0692A86 "..."',
                    '00000020: 4886F70D 01010505 00303D31 0B300906 "..."'])
    assert [(g.offset, g.length) for g in d.gaps] == [(0x1C, 4)]
    assert "0692A86" in d.gaps[0].reason
    assert len(d.prefix()) == 0x1C
    assert d.data[0x20:0x24] == bytes.fromhex("4886F70D")


def test_bad_first_group_leaves_nothing_before_the_gap():
    d = parse_dump(["00000000: 0B00523 00052000 02A13082 029D3082 *...#...0...0.*"])
    assert d.gaps[0].offset == 0
    assert d.prefix() == b""
    assert d.data[4:8] == bytes.fromhex("00052000")


def test_offset_jump_marks_elided_lines():
    d = parse_dump(["00000000: 30820275 308201DE A0030201 02020100 *0..u0...*",
                    '00000270: E452346C B5DE21F7 0D ".*R4I..I..*"'])
    assert [(g.offset, g.length) for g in d.gaps] == [(0x10, 0x260)]
    assert "0x10" in d.gaps[0].reason and "0x270" in d.gaps[0].reason
    assert d.end == 0x279
    assert len(d.prefix()) == 16


def test_dump_that_does_not_start_at_zero():
    d = parse_dump(["00000520: 346CB5DE 21F70D *4L.L.*"])
    assert d.gaps[0].offset == 0 and d.gaps[0].length == 0x520
    assert d.prefix() == bytes.fromhex("346CB5DE21F70D")


def test_offset_going_back_is_reported_not_raised():
    d = HexDump()
    assert d.add_line("00000000: 01020304")
    assert d.add_line("00000000: 05060708")
    assert d.problems and "goes back" in d.problems[0]
    assert d.prefix() == bytes.fromhex("01020304")


def test_non_dump_lines():
    assert not is_dump_line("Job TCPIPT Process 00050022 Thread 00000004 x")
    assert not is_dump_line("00000008 13:59:02.912513 SSL_INFO")
    assert is_dump_line("00000030: 00")
    for junk in ["", "\x00\x01\x02", "0" * 5000, "00000000: ZZZZ", "00000000:"]:
        d = parse_dump([junk])  # never raises
        assert isinstance(d.prefix(), bytes)


def test_dump_continued_in_the_next_record():
    first = parse_dump(["00000000: 01020304 05060708 090A0B0C 0D0E0F10"])
    more = parse_dump(["00000010: 11121314"])
    assert merge(first, more)
    assert first.prefix() == bytes(range(1, 0x15))
    assert not merge(first, parse_dump(["00000000: 01"]))
