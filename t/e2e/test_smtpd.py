# NAME
#	test_smtpd.py - smtpd against real clients
# DESCRIPTION
#	A real instance with smtpd on a loopback port; clients are Python's
#	smtplib, raw sockets for protocol edge cases, swaks and Postfix's
#	smtp-source. Queue files are checked with postcat.
import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import threading
import time

import pytest

from conftest import (IS_ROOT, Dialog, alive, pids_of, postcat, queue_files,
                      wait_for)

MSG = (b"From: a@example.org\r\nTo: u@postern.test\r\nSubject: hi\r\n\r\n"
       b"body line 1\r\n.leading dot\r\nlast\r\n")   # smtplib dot-stuffs it


def send_ok(inst, rcpts=("u@postern.test",), body=MSG, sender="a@example.org"):
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=20) as c:
        c.ehlo("client.example")
        c.mail(sender)
        for r in rcpts:
            assert c.rcpt(r)[0] == 250
        code, text = c.data(body)
        assert code == 250, text
        return re.search(rb"queued as (\w+)", text).group(1).decode()


def test_banner_and_ehlo(smtpd_instance):
    inst = smtpd_instance()
    d = Dialog(inst.port)
    assert d.reply() == ["220 postern.test ESMTP Postern"]
    assert d.cmd("EHLO client.example") == [
        "250-postern.test", "250-PIPELINING", "250-SIZE 10240000", "250-VRFY",
        "250-ETRN", "250-ENHANCEDSTATUSCODES", "250 8BITMIME"]
    assert d.cmd("HELO client.example") == ["250 postern.test"]
    assert d.cmd("QUIT") == ["221 2.0.0 Bye"]
    inst.wait_for_log(r"postern/smtpd\[\d+\]: connect from localhost\[127\.0\.0\.1\]")
    inst.wait_for_log(r"disconnect from localhost\[127\.0\.0\.1\] helo=1 ehlo=1 quit=1 commands=3")


def test_message_is_queued_durably(smtpd_instance):
    inst = smtpd_instance()
    qid = send_ok(inst)
    assert qid in queue_files(inst)
    assert not [f for f in queue_files(inst) if f.startswith(".")]
    out = postcat(inst, "-q", qid)
    assert out.returncode == 0, out.stderr
    assert "sender: a@example.org" in out.stdout
    assert "recipient: u@postern.test" in out.stdout
    assert re.search(r"Received: from client\.example \(localhost \[127\.0\.0\.1\]\)\n"
                     r"\tby postern\.test \(Postern\) with ESMTP id " + qid +
                     r"\n\tfor <u@postern\.test>; \w{3}, \d+ \w{3} \d{4} ", out.stdout)
    assert "body line 1\n.leading dot\nlast\n" in out.stdout
    inst.wait_for_log(rf"{qid}: client=localhost\[127\.0\.0\.1\]")
    inst.wait_for_log(r"disconnect from localhost\[127\.0\.0\.1\] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")


def test_relay_denied_and_allowed(smtpd_instance):
    inst = smtpd_instance()
    d = Dialog(inst.port)
    d.reply()
    d.cmd("EHLO outside.example")
    d.cmd("MAIL FROM:<a@example.org>")
    assert d.cmd("RCPT TO:<x@elsewhere.example>") == [
        "454 4.7.1 <x@elsewhere.example>: Relay access denied"]
    assert d.cmd("RCPT TO:<u@localhost>") == ["250 2.1.5 Ok"]
    inst.wait_for_log(r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 454 4\.7\.1 "
                      r"<x@elsewhere\.example>: Relay access denied; from=<a@example\.org> "
                      r"to=<x@elsewhere\.example> proto=ESMTP helo=<outside\.example>")
    d.close()
    # From mynetworks (127.0.0.2) relaying is allowed.
    d = Dialog(inst.port, source="127.0.0.2")
    d.reply()
    d.cmd("EHLO inside.example")
    d.cmd("MAIL FROM:<a@example.org>")
    assert d.cmd("RCPT TO:<x@elsewhere.example>") == ["250 2.1.5 Ok"]
    d.close()


def test_reject_unauth_destination(smtpd_instance):
    inst = smtpd_instance("smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n")
    d = Dialog(inst.port)
    d.reply()
    d.cmd("HELO x")
    d.cmd("MAIL FROM:<>")
    assert d.cmd("RCPT TO:<x@elsewhere.example>") == [
        "554 5.7.1 <x@elsewhere.example>: Relay access denied"]
    assert d.cmd("RCPT TO:<u@[127.0.0.1]>") == ["250 2.1.5 Ok"]


def test_no_open_relay_configuration(smtpd_instance, instance_factory):
    inst = smtpd_instance("smtpd_relay_restrictions = permit_mynetworks\n")
    # The connection is never answered: smtpd refuses to start, and the
    # service is throttled.
    d = Dialog(inst.port, timeout=2)
    with pytest.raises((EOFError, OSError)):
        d.reply()
    inst.wait_for_log(r"fatal: in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions")


PROTOCOL_ROWS = [
    # label, extra main.cf, commands, expected last reply line of each
    ("rcpt before mail", "", ["EHLO x", "RCPT TO:<u@postern.test>"],
     ["250", "503 5.5.1 Error: need MAIL command"]),
    ("data before rcpt", "", ["EHLO x", "MAIL FROM:<a@b.example>", "DATA"],
     ["250", "250 2.1.0 Ok", "503 5.5.1 Error: need RCPT command"]),
    ("data before mail", "", ["EHLO x", "DATA"], ["250", "503 5.5.1 Error: need MAIL command"]),
    ("nested mail", "", ["EHLO x", "MAIL FROM:<a@b.example>", "MAIL FROM:<a@b.example>"],
     ["250", "250 2.1.0 Ok", "503 5.5.1 Error: nested MAIL command"]),
    ("mail syntax", "", ["EHLO x", "MAIL <a@b.example>"],
     ["250", "501 5.5.4 Syntax: MAIL FROM:<address>"]),
    ("bad sender", "", ["EHLO x", "MAIL FROM:<a@b@c>"], ["250", "501 5.1.7 Bad sender address syntax"]),
    ("bad recipient", "", ["EHLO x", "MAIL FROM:<>", "RCPT TO:<a b>"],
     ["250", "250 2.1.0 Ok", "501 5.1.3 Bad recipient address syntax"]),
    ("rcpt syntax", "", ["EHLO x", "MAIL FROM:<>", "RCPT <u@postern.test>"],
     ["250", "250 2.1.0 Ok", "501 5.5.4 Syntax: RCPT TO:<address>"]),
    ("null sender", "", ["EHLO x", "MAIL FROM:<>"], ["250", "250 2.1.0 Ok"]),
    ("size too big", "", ["EHLO x", "MAIL FROM:<a@b.example> SIZE=99999999"],
     ["250", "552 5.3.4 Message size exceeds fixed limit"]),
    ("size ok", "", ["EHLO x", "MAIL FROM:<a@b.example> SIZE=1000"], ["250", "250 2.1.0 Ok"]),
    ("bad size", "", ["EHLO x", "MAIL FROM:<a@b.example> SIZE=12x"],
     ["250", "501 5.5.4 Bad message size syntax"]),
    ("8bitmime", "", ["EHLO x", "MAIL FROM:<a@b.example> BODY=8BITMIME"], ["250", "250 2.1.0 Ok"]),
    ("bad body", "", ["EHLO x", "MAIL FROM:<a@b.example> BODY=9BIT"],
     ["250", "501 5.5.4 Unsupported BODY parameter"]),
    ("unknown param", "", ["EHLO x", "MAIL FROM:<a@b.example> FOO=BAR"],
     ["250", "555 5.5.4 Unsupported option: FOO=BAR"]),
    ("helo no arg", "", ["HELO", "EHLO"], ["501 Syntax: HELO hostname", "501 Syntax: EHLO hostname"]),
    ("unknown", "", ["FROB"], ["502 5.5.2 Error: command not recognized"]),
    ("noop rset", "", ["NOOP", "RSET", "RSET x"], ["250 2.0.0 Ok", "250 2.0.0 Ok", "501 5.5.4 Syntax: RSET"]),
    ("vrfy", "", ["VRFY u@postern.test", "VRFY"], ["252 2.0.0 u@postern.test", "501 5.5.4 Syntax: VRFY address"]),
    ("vrfy disabled", "disable_vrfy_command = yes\n", ["VRFY u"], ["502 5.5.1 VRFY command is disabled"]),
    ("etrn", "", ["ETRN", "EHLO x", "MAIL FROM:<>", "ETRN example.com"],
     ["500 Syntax: ETRN domain", "250", "250 2.1.0 Ok", "503 Error: MAIL transaction in progress"]),
    ("etrn no qmgr", "relay_domains = example.com\n", ["ETRN example.com"],
     ["458 Unable to queue messages"]),
    ("etrn not a flush domain", "", ["ETRN example.com"],
     ["459 <example.com>: service unavailable"]),
    ("helo required", "smtpd_helo_required = yes\n", ["MAIL FROM:<>"],
     ["503 5.5.1 Error: send HELO/EHLO first"]),
    ("recipient limit", "smtpd_recipient_limit = 2\n",
     ["HELO x", "MAIL FROM:<>", "RCPT TO:<a@postern.test>", "RCPT TO:<b@postern.test>", "RCPT TO:<c@postern.test>"],
     ["250", "250", "250", "250", "452 4.5.3 Error: too many recipients"]),
    ("data args", "", ["HELO x", "MAIL FROM:<>", "RCPT TO:<a@postern.test>", "DATA x"],
     ["250", "250", "250", "501 5.5.4 Syntax: DATA"]),
    ("long line", "", ["NOOP " + "x" * 5000, "NOOP"], ["500 5.5.0 Error: line too long", "250 2.0.0 Ok"]),
    ("nul in command", "", ["NO\0OP", "NOOP"], ["500 5.5.2 Error: bad syntax", "250 2.0.0 Ok"]),
    ("case", "", ["helo x", "mail from:<a@b.example>", "rcpt to:<u@postern.test>"], ["250", "250", "250"]),
    ("space after colon", "", ["HELO x", "MAIL FROM: <a@b.example>"], ["250", "250 2.1.0 Ok"]),
    ("quoted local part", "", ["HELO x", "MAIL FROM:<\"a b\"@b.example>", "RCPT TO:<\"x y\"@postern.test>"],
     ["250", "250 2.1.0 Ok", "250 2.1.5 Ok"]),
]


@pytest.mark.parametrize("label,extra,commands,expected", PROTOCOL_ROWS,
                         ids=[r[0] for r in PROTOCOL_ROWS])
def test_protocol(smtpd_instance, label, extra, commands, expected):
    inst = smtpd_instance(extra)
    d = Dialog(inst.port)
    d.reply()
    for command, want in zip(commands, expected):
        got = d.cmd(command)[-1]
        assert got.startswith(want), f"{command!r}: got {got!r}, want {want!r}"
    assert d.cmd("QUIT") == ["221 2.0.0 Bye"]


def test_pipelining_replies_in_order(smtpd_instance):
    inst = smtpd_instance()
    d = Dialog(inst.port)
    d.reply()
    d.cmd("EHLO x")
    d.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@postern.test>\r\nRCPT TO:<bad@elsewhere.example>\r\n"
           "RCPT TO:<v@postern.test>\r\nDATA\r\n")
    assert [d.reply()[-1][:3] for _ in range(5)] == ["250", "250", "454", "250", "354"]
    d.send("Subject: p\r\n\r\nhello\r\n.\r\nRSET\r\nQUIT\r\n")
    assert d.reply()[-1].startswith("250 2.0.0 Ok: queued as ")
    assert d.reply() == ["250 2.0.0 Ok"]
    assert d.reply() == ["221 2.0.0 Bye"]


def data_session(inst, payload, rcpt="u@postern.test"):
    d = Dialog(inst.port)
    d.reply()
    d.cmd("HELO x")
    d.cmd("MAIL FROM:<a@b.example>")
    d.cmd(f"RCPT TO:<{rcpt}>")
    assert d.cmd("DATA")[0].startswith("354")
    d.send(payload)
    return d


def test_smuggling_is_content(smtpd_instance):
    inst = smtpd_instance()
    smuggle = (b"Subject: s\r\n\r\nbefore\n.\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<v@postern.test>\r\n"
               b"DATA\r\nsecond\r\n.\r\n")
    d = data_session(inst, smuggle)
    last = d.reply()[-1]
    qid = re.search(r"queued as (\w+)", last).group(1)
    assert d.cmd("QUIT") == ["221 2.0.0 Bye"]
    assert queue_files(inst) == [qid]       # one message, not two
    body = postcat(inst, "-q", qid).stdout
    assert "before\n.\nMAIL FROM:<evil@x.example>\nRCPT TO:<v@postern.test>\nDATA\nsecond\n" in body


def test_bare_lf_reject_mode(smtpd_instance):
    inst = smtpd_instance("smtpd_forbid_bare_newline = reject\n")
    d = data_session(inst, b"Subject: s\r\n\r\nbare\nline\r\n.\r\n")
    assert d.reply() == ["550 5.5.2 Error: bare <LF> received"]
    assert queue_files(inst) == []


def test_nul_and_8bit_content_kept(smtpd_instance):
    inst = smtpd_instance()
    d = data_session(inst, b"Subject: n\r\n\r\na\0b \xe9\xff\r\n.\r\n")
    qid = re.search(r"queued as (\w+)", d.reply()[-1]).group(1)
    with open(os.path.join(inst.queue, "incoming", qid), "rb") as f:
        assert b"a\0b \xe9\xff\n" in f.read()


def test_long_line_is_accepted_intact(smtpd_instance):
    inst = smtpd_instance()
    line = b"x" * (1024 * 1024)
    d = data_session(inst, b"Subject: long\r\n\r\n" + line + b"\r\n.\r\n")
    reply = d.reply()[-1]
    assert reply.startswith("250 2.0.0 Ok: queued as"), reply
    qid = re.search(r"queued as (\w+)", reply).group(1)
    # Read in pieces of line_length_limit, stored whole: the line arrives intact.
    body = postcat(inst, "-b", "-q", qid).stdout
    assert "\n" + "x" * len(line) + "\n" in body


def test_over_size_limit(smtpd_instance):
    inst = smtpd_instance("message_size_limit = 100000\n")
    d = data_session(inst, b"Subject: big\r\n\r\n" + (b"y" * 998 + b"\r\n") * 200 + b".\r\n")
    assert d.reply() == ["552 5.3.4 Message size exceeds fixed limit"]
    assert d.cmd("NOOP") == ["250 2.0.0 Ok"]       # still in sync
    assert queue_files(inst) == []


def test_50mb_over_default_limit(smtpd_instance):
    inst = smtpd_instance()
    chunk = (b"z" * 998 + b"\r\n") * 1024
    d = data_session(inst, b"Subject: huge\r\n\r\n")
    for _ in range(50):
        d.send(chunk)
    d.send(b".\r\n")
    assert d.reply() == ["552 5.3.4 Message size exceeds fixed limit"]
    assert queue_files(inst) == []


def test_disconnect_mid_data_leaves_nothing(smtpd_instance):
    inst = smtpd_instance()
    d = data_session(inst, b"Subject: cut\r\n\r\npartial")
    time.sleep(0.2)
    d.close()
    inst.wait_for_log(r"lost connection after DATA \(\d+ bytes\) from localhost\[127\.0\.0\.1\]")
    assert queue_files(inst) == []


def test_timeout(smtpd_instance):
    inst = smtpd_instance("smtpd_timeout = 1s\n")
    d = Dialog(inst.port)
    d.reply()
    d.cmd("HELO x")
    assert d.reply() == ["421 4.4.2 postern.test Error: timeout exceeded"]
    inst.wait_for_log(r"timeout after HELO from localhost\[127\.0\.0\.1\]")


def test_hard_error_limit(smtpd_instance):
    inst = smtpd_instance("smtpd_hard_error_limit = 3\nsmtpd_soft_error_limit = 100\n")
    d = Dialog(inst.port)
    d.reply()
    for _ in range(2):
        assert d.cmd("BOGUS")[0].startswith("502")
    assert d.cmd("BOGUS") == ["502 5.5.2 Error: command not recognized"]
    assert d.reply() == ["421 4.7.0 postern.test Error: too many errors"]
    with pytest.raises(EOFError):
        d.reply()


def test_soft_error_limit_slows_down(smtpd_instance):
    inst = smtpd_instance("smtpd_soft_error_limit = 1\nsmtpd_error_sleep_time = 1s\n")
    d = Dialog(inst.port)
    d.reply()
    d.cmd("BOGUS")
    start = time.monotonic()
    d.cmd("NOOP")
    assert time.monotonic() - start >= 0.9


def test_forbidden_command(smtpd_instance):
    inst = smtpd_instance()
    d = Dialog(inst.port)
    d.reply()
    assert d.cmd("GET / HTTP/1.0") == ["221 2.7.0 Error: I can break rules, too. Goodbye."]


def test_swaks(smtpd_instance):
    inst = smtpd_instance()
    proc = subprocess.run(["swaks", "--server", f"127.0.0.1:{inst.port}", "--to", "u@postern.test",
                           "--from", "s@example.org", "--helo", "swaks.example",
                           "--header", "Subject: swaks test"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"<-  250 2\.0\.0 Ok: queued as \w+", proc.stdout)
    assert len(queue_files(inst)) == 1


def test_smtp_source_load(smtpd_instance):
    inst = smtpd_instance()
    proc = subprocess.run(["/usr/sbin/smtp-source", "-c", "-s", "10", "-m", "200",
                           "-f", "load@example.org", "-t", "u@postern.test",
                           f"127.0.0.1:{inst.port}"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    files = queue_files(inst)
    assert len(files) == 200
    assert not [f for f in files if f.startswith(".")]


def test_kill_smtpd_during_load_loses_nothing(smtpd_instance):
    inst = smtpd_instance()
    accepted = []
    stop = threading.Event()

    def client():
        while not stop.is_set():
            try:
                with smtplib.SMTP("127.0.0.1", inst.port, timeout=10) as c:
                    c.helo("k")
                    for _ in range(20):
                        c.mail("k@example.org")
                        c.rcpt("u@postern.test")
                        code, text = c.data(b"Subject: k\r\n\r\nkill test\r\n")
                        if code == 250:
                            accepted.append(re.search(rb"queued as (\w+)", text).group(1).decode())
            except (OSError, smtplib.SMTPException):
                pass

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    wait_for(lambda: len(accepted) > 50, timeout=30, what="load")
    for pid in pids_of("smtpd -c " + inst.etc) + [p for p in inst.children()]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(30)
    files = set(queue_files(inst))
    assert set(accepted) <= files
    for qid in accepted:
        assert postcat(inst, "-q", qid).returncode == 0, qid
    inst.wait_for_log(r"killed by signal 9")


@pytest.mark.skipif(not IS_ROOT, reason="mounting a small tmpfs needs root")
def test_full_disk_gives_452_and_leaves_nothing(smtpd_instance):
    inst = smtpd_instance()
    incoming = os.path.join(inst.queue, "incoming")
    st = os.stat(incoming)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", incoming]).returncode:
        pytest.skip("cannot mount tmpfs here")
    try:
        os.chown(incoming, st.st_uid, st.st_gid)
        os.chmod(incoming, 0o700)
        d = data_session(inst, b"Subject: full\r\n\r\n" + (b"f" * 998 + b"\r\n") * 400 + b".\r\n")
        assert d.reply()[-1] == "452 4.3.1 Insufficient system storage"
        assert d.cmd("NOOP") == ["250 2.0.0 Ok"]
        assert os.listdir(incoming) == []
        # Small messages still get through once there is room.
        assert d.cmd("MAIL FROM:<a@b.example>")[0].startswith("250")
        d.cmd("RCPT TO:<u@postern.test>")
        d.cmd("DATA")
        d.send(b"Subject: small\r\n\r\nok\r\n.\r\n")
        assert d.reply()[-1].startswith("250 2.0.0 Ok: queued as")
    finally:
        subprocess.run(["umount", "-l", incoming])


def test_many_concurrent_sessions_in_one_process(smtpd_instance):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    inst = smtpd_instance("max_use = 10000\n")
    socks = []
    for _ in range(1000):
        s = socket.create_connection(("127.0.0.1", inst.port), timeout=20)
        socks.append(s)
    for s in socks:
        assert s.recv(100).startswith(b"220 ")
    pids = [p for p in inst.children()]
    assert len(pids) == 1
    d = Dialog(inst.port)
    assert d.reply()[0].startswith("220")
    for s in socks:
        s.close()
