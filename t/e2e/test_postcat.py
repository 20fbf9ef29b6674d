# NAME
#	test_postcat.py - postcat against queue files made byte by byte
# DESCRIPTION
#	A tiny writer here builds queue files from a list of records (the
#	format of lib/global/queue_file.h, with a correct 'Z' record unless
#	a test breaks it on purpose), so these tests do not trust the C
#	writer. postcat's output must have Postfix's postcat(1) layout:
#	section markers, "name: value" envelope lines, asctime() times,
#	"%9lu " offsets with -o, content split into header and body by -h
#	and -b. A corrupt file is shown up to the damage, then an error on
#	stderr naming the file and the problem, and exit status 1.
import os
import subprocess
import time

import pytest

from conftest import BIN

POSTCAT = os.path.join(BIN, "postcat")
ARRIVAL = 1795466123                    # Mon Nov 23 20:35:23 2026 UTC
ID = "1K0XXP9AK5GEX4BJ0"


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def b(x):
    return x if isinstance(x, bytes) else x.encode()


class QueueFile:
    """Records in, bytes out; remembers each record's offset."""

    def __init__(self, records, size=None):
        self.records = [(t, b(p)) for t, p in records]
        data = sum(len(p) for t, p in self.records if t == "D")
        rcpts = sum(1 for t, p in self.records if t in "Rr")
        offset = content = 0
        for t, p in self.records:
            offset += 1 + len(varint(47 if t == "Z" else len(p))) + (47 if t == "Z" else len(p))
            if t == "M":
                content = offset
        self.sizes = (data, content, rcpts)
        z = b("%15d %15d %15d" % (size or self.sizes))
        self.records = [(t, z if t == "Z" and not p else p) for t, p in self.records]
        self.offsets = []
        self.bytes = b""
        for t, p in self.records:
            self.offsets.append(len(self.bytes))
            self.bytes += t.encode() + varint(len(p)) + p

    def offset(self, n, type_):
        """Offset of the n-th record of a type."""
        return [o for o, (t, p) in zip(self.offsets, self.records) if t == type_][n]

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.bytes)
        return path


def envelope(*extra):
    return [("V", "1"), ("Z", ""), ("T", "%d.123456" % ARRIVAL),
            ("S", "alice@example.com"), ("A", "client_name=mail.example.com"),
            ("A", "protocol=ESMTP")] + list(extra)


CONTENT = "Subject: test\nFrom: alice@example.com\n\nbody line\n"

STANDARD = envelope(("O", "Bob@Example.com"), ("R", "bob@example.com"),
                    ("r", "carol@example.com"), ("M", ""),
                    ("D", CONTENT[:20]), ("D", CONTENT[20:]), ("X", ""),
                    ("R", "dave@example.com"), ("E", ""))


def run(*args, stdin=None):
    env = dict(os.environ, TZ="UTC")
    env.pop("MAIL_CONFIG", None)
    proc = subprocess.run([POSTCAT] + list(args), input=stdin, capture_output=True,
                          env=env, timeout=30)
    return proc.returncode, proc.stdout.decode(errors="replace"), \
        proc.stderr.decode(errors="replace")


def expected_standard(path, qf):
    return f"""*** ENVELOPE RECORDS {path} ***
message_size: {"%15d %15d %15d" % qf.sizes}
message_arrival_time: Mon Nov 23 20:35:23 2026
sender: alice@example.com
named_attribute: client_name=mail.example.com
named_attribute: protocol=ESMTP
original_recipient: Bob@Example.com
recipient: bob@example.com
done_recipient: carol@example.com
*** MESSAGE CONTENTS {path} ***
Subject: test
From: alice@example.com

body line
*** HEADER EXTRACTED {path} ***
recipient: dave@example.com
*** MESSAGE FILE END {path} ***
"""


def test_arrival_time_constant():
    assert time.asctime(time.gmtime(ARRIVAL)) == "Mon Nov 23 20:35:23 2026"


def test_default_layout(tmp_path):
    qf = QueueFile(STANDARD)
    path = qf.write(str(tmp_path / ID))
    rc, out, err = run(path)
    assert (rc, err) == (0, "")
    assert out == expected_standard(path, qf)


def test_message_size_right_aligned(tmp_path):
    qf = QueueFile(STANDARD)
    rc, out, err = run(qf.write(str(tmp_path / ID)))
    line = out.splitlines()[1]
    assert line == "message_size: %15d %15d %15d" % qf.sizes
    assert qf.sizes == (len(CONTENT), qf.offset(0, "M") + 2, 3)


def test_offsets(tmp_path):
    qf = QueueFile(STANDARD)
    path = qf.write(str(tmp_path / ID))
    rc, out, err = run("-o", path)
    assert (rc, err) == (0, "")
    o = qf.offset
    d1 = o(0, "D")
    d2 = o(1, "D")
    # "Subject: test\nFrom: alice@example.com\n" splits after 20 bytes, so
    # the From: line starts in the first 'D' record and the rest in the second.
    want = [f"*** ENVELOPE RECORDS {path} ***",
            "%9d message_size: %s" % (o(0, "Z"), "%15d %15d %15d" % qf.sizes),
            "%9d message_arrival_time: Mon Nov 23 20:35:23 2026" % o(0, "T"),
            "%9d sender: alice@example.com" % o(0, "S"),
            "%9d named_attribute: client_name=mail.example.com" % o(0, "A"),
            "%9d named_attribute: protocol=ESMTP" % o(1, "A"),
            "%9d original_recipient: Bob@Example.com" % o(0, "O"),
            "%9d recipient: bob@example.com" % o(0, "R"),
            "%9d done_recipient: carol@example.com" % o(0, "r"),
            "%9d *** MESSAGE CONTENTS %s ***" % (o(0, "M"), path),
            "%9d Subject: test" % d1,
            "%9d From: alice@example.com" % d1,
            "%9d " % d2,
            "%9d body line" % d2,
            "%9d *** HEADER EXTRACTED %s ***" % (o(0, "X"), path),
            "%9d recipient: dave@example.com" % o(1, "R"),
            "%9d *** MESSAGE FILE END %s ***" % (o(0, "E"), path)]
    assert out.splitlines() == want


def test_decimal_record_types(tmp_path):
    qf = QueueFile(STANDARD)
    rc, out, err = run("-d", qf.write(str(tmp_path / ID)))
    lines = out.splitlines()
    assert lines[2] == " 84 message_arrival_time: Mon Nov 23 20:35:23 2026"
    assert lines[9].startswith(" 77 *** MESSAGE CONTENTS ")
    assert lines[10] == " 68 Subject: test"


@pytest.mark.parametrize("flags,want", [
    ("-e", ["*** ENVELOPE RECORDS {p} ***",
            "message_size: {z}",
            "message_arrival_time: Mon Nov 23 20:35:23 2026",
            "sender: alice@example.com",
            "named_attribute: client_name=mail.example.com",
            "named_attribute: protocol=ESMTP",
            "original_recipient: Bob@Example.com",
            "recipient: bob@example.com",
            "done_recipient: carol@example.com",
            "*** MESSAGE CONTENTS {p} ***",
            "*** HEADER EXTRACTED {p} ***",
            "recipient: dave@example.com",
            "*** MESSAGE FILE END {p} ***"]),
    ("-h", ["Subject: test", "From: alice@example.com"]),
    ("-b", ["", "body line"]),
    ("-bh", ["Subject: test", "From: alice@example.com", "", "body line"]),
    ("-eh", None),
])
def test_sections(tmp_path, flags, want):
    qf = QueueFile(STANDARD)
    path = qf.write(str(tmp_path / ID))
    rc, out, err = run(flags, path)
    assert (rc, err) == (0, "")
    if want is None:                    # -eh: everything but the body
        full = expected_standard(path, qf).splitlines()
        want = [l for l in full if l not in ("", "body line")]
    else:
        want = [l.format(p=path, z="%15d %15d %15d" % qf.sizes) for l in want]
    assert out.splitlines() == want


def test_header_continuation_and_body_split(tmp_path):
    content = ("Received: from x\n\tby y; Mon\nX-Weird : value\nSubject: a\n"
               "\nnot: a header now\n\tnor this\nend\n")
    records = envelope(("R", "b@x"), ("M", "")) + \
        [("D", content[i:i + 7]) for i in range(0, len(content), 7)] + [("X", ""), ("E", "")]
    path = QueueFile(records).write(str(tmp_path / "f"))
    rc, out, err = run("-h", path)
    assert out == "Received: from x\n\tby y; Mon\nX-Weird : value\nSubject: a\n"
    rc, out, err = run("-b", path)
    assert out == "\nnot: a header now\n\tnor this\nend\n"
    rc, out, err = run("-bh", path)
    assert out == content


def test_message_without_header(tmp_path):
    content = "just a body line\nSubject: not a header\n"
    records = envelope(("R", "b@x"), ("M", ""), ("D", content), ("X", ""), ("E", ""))
    path = QueueFile(records).write(str(tmp_path / "f"))
    assert run("-h", path)[1] == ""
    assert run("-b", path)[1] == content


def test_unterminated_last_line_gets_newline(tmp_path):
    records = envelope(("R", "b@x"), ("M", ""), ("D", "Subject: x\n\nno newline"),
                       ("X", ""), ("E", ""))
    path = QueueFile(records).write(str(tmp_path / "f"))
    assert run("-bh", path)[1] == "Subject: x\n\nno newline\n"


def test_binary_and_long_lines_pass_through(tmp_path):
    body = bytes(range(256)).replace(b"\n", b"") * 40 + b"\n" + b"x" * 200000 + b"\n"
    content = b"Subject: bin\n\n" + body
    records = envelope(("R", "b@x"), ("M", "")) + \
        [("D", content[i:i + 65536]) for i in range(0, len(content), 65536)] + \
        [("X", ""), ("E", "")]
    path = QueueFile(records).write(str(tmp_path / "f"))
    proc = subprocess.run([POSTCAT, "-bh", path], capture_output=True, timeout=30)
    assert proc.returncode == 0
    assert proc.stdout == content


def test_null_sender_and_warning_time(tmp_path):
    records = [("V", "1"), ("Z", ""), ("T", "%d.000000" % ARRIVAL), ("S", ""),
               ("W", "%15d" % (ARRIVAL + 3600)), ("R", "b@x"), ("M", ""), ("X", ""), ("E", "")]
    path = QueueFile(records).write(str(tmp_path / "f"))
    rc, out, err = run("-e", path)
    assert rc == 0
    assert "\nsender: \n" in out
    assert "\nwarning_message_time: Mon Nov 23 21:35:23 2026\n" in out


def test_version_record_only_when_verbose(tmp_path):
    path = QueueFile(STANDARD).write(str(tmp_path / "f"))
    assert "queue_file_version" not in run(path)[1]
    assert "\nqueue_file_version: 1\n" in run("-v", path)[1]


def test_stdin(tmp_path):
    qf = QueueFile(STANDARD)
    rc, out, err = run(stdin=qf.bytes)
    assert (rc, err) == (0, "")
    assert out == expected_standard("stdin", qf)


def test_several_files(tmp_path):
    a = QueueFile(STANDARD).write(str(tmp_path / "a"))
    c = str(tmp_path / "c")
    with open(c, "wb") as f:
        f.write(b"garbage")
    z = QueueFile(STANDARD).write(str(tmp_path / "z"))
    rc, out, err = run("-e", a, c, z)
    assert rc == 1
    assert out.count("*** MESSAGE FILE END") == 2
    assert f"*** ENVELOPE RECORDS {c} ***" in out
    assert f"{c}: corrupt queue file: unknown record type 'g' at offset 0" in err


def make_instance(tmp_path):
    etc = tmp_path / "etc"
    queue = tmp_path / "queue"
    etc.mkdir()
    for d in ("incoming", "active", "deferred", "hold", "corrupt", "maildrop"):
        (queue / d).mkdir(parents=True)
    (etc / "main.cf").write_text(f"queue_directory = {queue}\n")
    return str(etc), queue


def test_queue_search(tmp_path):
    etc, queue = make_instance(tmp_path)
    qf = QueueFile(STANDARD)
    qf.write(str(queue / "deferred" / ID))
    rc, out, err = run("-c", etc, "-q", ID)
    assert (rc, err) == (0, "")
    assert out == expected_standard("deferred/" + ID, qf)


def test_queue_search_mail_config(tmp_path):
    etc, queue = make_instance(tmp_path)
    qf = QueueFile(STANDARD)
    qf.write(str(queue / "hold" / ID))
    env = dict(os.environ, TZ="UTC", MAIL_CONFIG=etc)
    proc = subprocess.run([POSTCAT, "-q", ID], capture_output=True, text=True, env=env)
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"*** ENVELOPE RECORDS hold/{ID} ***\n")


@pytest.mark.parametrize("arg,msg", [
    ("1K0XXP9AK5GEX4BJ1", "open queue file 1K0XXP9AK5GEX4BJ1: No such file or directory"),
    ("../etc/main.cf", "bad mail queue ID: ../etc/main.cf"),
    (".tmp." + ID, "bad mail queue ID: .tmp." + ID),
])
def test_queue_search_failures(tmp_path, arg, msg):
    etc, queue = make_instance(tmp_path)
    rc, out, err = run("-c", etc, "-q", arg)
    assert rc == 1
    assert out == ""
    assert err == f"postcat: fatal: {msg}\n"


def test_missing_file(tmp_path):
    rc, out, err = run(str(tmp_path / "nope"))
    assert rc == 1
    assert err == f"postcat: fatal: open {tmp_path}/nope: No such file or directory\n"


def test_usage():
    rc, out, err = run("-x")
    assert rc == 1
    assert "usage: postcat" in err


CORRUPT = [
    ("missing end record (a crash while writing)", STANDARD[:-1], None, b"",
     "missing end record", "*** HEADER EXTRACTED", "*** MESSAGE FILE END"),
    ("truncated inside the content", STANDARD, None, None,
     "truncated record at offset {D1}", "*** MESSAGE CONTENTS", "body line"),
    ("unknown record type", STANDARD[:8] + [("q", "x")] + STANDARD[8:], None, b"",
     "unknown record type 'q' at offset {q}", "recipient: bob@example.com",
     "done_recipient"),
    ("record in the wrong section", STANDARD[:8] + [("D", "x")] + STANDARD[8:], None, b"",
     "unexpected record type 'D' in the envelope section at offset {Dx}",
     "recipient: bob@example.com", "MESSAGE CONTENTS"),
    ("size record mismatch", STANDARD, (1, 2, 3), b"",
     "size record mismatch: message_size 1, content is %d bytes" % len(CONTENT),
     "recipient: dave@example.com", "*** MESSAGE FILE END"),
    ("bytes after the end record", STANDARD, None, b"E\x00",
     "data after end record at offset {end}", "*** MESSAGE FILE END", None),
    ("lone original recipient", envelope(("O", "x"), ("M", ""), ("X", ""), ("E", "")),
     None, b"", "original recipient at offset {O} is not followed by a recipient",
     "original_recipient: x", "MESSAGE CONTENTS"),
]


@pytest.mark.parametrize("label,records,size,tail,reason,shown,not_shown", CORRUPT,
                         ids=[c[0] for c in CORRUPT])
def test_corrupt(tmp_path, label, records, size, tail, reason, shown, not_shown):
    qf = QueueFile(records, size=size)
    data = qf.bytes + tail if tail is not None else qf.bytes[:qf.offset(1, "D") + 5]
    path = str(tmp_path / ID)
    with open(path, "wb") as f:
        f.write(data)
    marks = {"end": len(qf.bytes)}
    for key, (type_, n) in {"D1": ("D", 1), "q": ("q", 0), "Dx": ("D", 0),
                            "O": ("O", 0)}.items():
        try:
            marks[key] = qf.offset(n, type_)
        except IndexError:
            pass
    rc, out, err = run(path)
    assert rc == 1
    assert out.startswith(f"*** ENVELOPE RECORDS {path} ***\nmessage_size: ")
    assert shown in out
    if not_shown:
        assert not_shown not in out
    assert err == f"postcat: error: {path}: corrupt queue file: {reason.format(**marks)}\n"


def test_truncated_content_shows_partial_line(tmp_path):
    qf = QueueFile(STANDARD)
    cut = qf.offset(1, "D") + 2 + 3     # three bytes into the second 'D'
    path = str(tmp_path / "f")
    with open(path, "wb") as f:
        f.write(qf.bytes[:cut])
    rc, out, err = run("-bh", path)
    assert rc == 1
    assert out == CONTENT[:20] + "\n"   # "From: " cut short, then a newline
    assert "truncated record" in err


def test_empty_and_garbage_files(tmp_path):
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    rc, out, err = run(str(empty))
    assert rc == 1 and err.endswith("corrupt queue file: empty file\n")
    for i, junk in enumerate([b"\x00" * 100, b"V\x01", b"V\x012Z", os.urandom(4096)]):
        p = tmp_path / f"junk{i}"
        p.write_bytes(junk)
        rc, out, err = run(str(p))
        assert rc == 1 and f"{p}: corrupt queue file: " in err
