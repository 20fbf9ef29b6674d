# NAME
#	test_postqueue.py - postqueue -p/-j/-f, mailq and the showq service
# DESCRIPTION
#	Real instances with smtpd, qmgr, local and showq. Mail is kept in
#	the queue with defer_transports; held and active messages are made
#	by moving a queue file by hand. The layout is compared with output
#	recorded from Debian's Postfix 3.7 (t/fixtures/postqueue/README).
import json
import os
import re
import shutil
import smtplib
import subprocess
import tempfile
import time

import pytest

from conftest import BIN, TOP, IS_ROOT, queue_files, wait_for

SHOWQ = "showq unix n - n - - showq\n"
FIXTURES = os.path.join(TOP, "t", "fixtures", "postqueue")
HEADER = ("----Queue ID----- --Size-- ---Arrival Time---- "
          "--Sender/Recipient------")
# A message line: ID, flag, size ending at column 26, asctime, sender.
MESSAGE_RX = re.compile(r"^([0-9A-Za-z]+)([*!#]?)( +)(\d+) "
                        r"(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d) (.*)$")


def postqueue(inst, *args, prog="postqueue", user=None):
    cmd = [os.path.join(BIN, prog), "-c", inst.etc] + list(args)
    if user:
        cmd = ["su", "-s", "/bin/sh", user, "-c", " ".join(cmd)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def send(inst, sender, rcpts, subject="test"):
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.ehlo("x")
        c.mail(sender)
        for r in rcpts:
            c.rcpt(r)
        c.data(f"Subject: {subject}\r\n\r\nhello\r\n".encode())


def wait_deferred(inst, count):
    return wait_for(lambda: len(queue_files(inst, "deferred")) == count
                    and len(queue_files(inst, "deferred")), what=f"{count} deferred")


def normalise_text(text):
    """Message lines become "@IDn@[flag] @SIZE@ @TIME@ sender"; the
    size column must end at column 26, as in Postfix's long-ID layout."""
    ids, out = {}, []
    for line in text.split("\n"):
        m = MESSAGE_RX.match(line)
        if m:
            assert m.end(4) == 26, line
            tok = ids.setdefault(m.group(1), f"@ID{len(ids) + 1}@")
            line = f"{tok}{m.group(2)} @SIZE@ @TIME@ {m.group(6)}"
        out.append(line)
    return "\n".join(out)


def normalise_json(text):
    ids, out = {}, []
    for line in text.splitlines():
        o = json.loads(line)
        o["queue_id"] = ids.setdefault(o["queue_id"], f"@ID{len(ids) + 1}@")
        o["arrival_time"] = "@TIME@"
        o["message_size"] = "@SIZE@"
        out.append(o)
    return out


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return f.read().replace("fix.test", "postern.test")


def test_empty_queue(mta_instance):
    inst = mta_instance(master_extra=SHOWQ)
    p = postqueue(inst, "-p")
    assert p.returncode == 0, p.stderr
    assert p.stdout == "Mail queue is empty\n" == fixture("mailq-empty.txt")
    j = postqueue(inst, "-j")
    assert j.returncode == 0 and j.stdout == ""


def test_deferred_held_active_and_json(mta_instance, mail_users):
    inst = mta_instance("defer_transports = local\n", master_extra=SHOWQ)
    user = mail_users[0]
    send(inst, "s@example.org", [f"{user}@postern.test"])
    wait_deferred(inst, 1)
    qid = queue_files(inst, "deferred")[0]
    p = postqueue(inst, "-p")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.split("\n")
    assert lines[0] == HEADER
    m = MESSAGE_RX.match(lines[1])
    assert m and m.group(1) == qid and m.group(2) == "" and m.end(4) == 26
    assert m.group(6) == "s@example.org"
    assert lines[2] == " " * (76 - len("deferred transport")) + "(deferred transport)"
    assert lines[3] == " " * 47 + f"{user}@postern.test"
    assert lines[4:] == ["", "-- 0 Kbytes in 1 Request.", ""]

    j = [json.loads(x) for x in postqueue(inst, "-j").stdout.splitlines()]
    assert len(j) == 1
    o = j[0]
    assert list(o) == ["queue_name", "queue_id", "arrival_time", "message_size",
                       "forced_expire", "sender", "recipients"]
    assert o["queue_name"] == "deferred" and o["queue_id"] == qid
    assert o["sender"] == "s@example.org" and o["forced_expire"] is False
    assert o["message_size"] > 0 and abs(o["arrival_time"] - os.path.getmtime(
        os.path.join(inst.queue, "deferred", qid)) ) < 86400
    assert o["recipients"] == [{"address": f"{user}@postern.test",
                                "delay_reason": "deferred transport"}]

    # Held: '!' after the ID.
    os.rename(os.path.join(inst.queue, "deferred", qid), os.path.join(inst.queue, "hold", qid))
    line = postqueue(inst, "-p").stdout.split("\n")[1]
    assert line.startswith(qid + "!") and MESSAGE_RX.match(line).end(4) == 26
    assert json.loads(postqueue(inst, "-j").stdout)["queue_name"] == "hold"

    # Active: '*' after the ID (qmgr only recovers active/ at start).
    os.rename(os.path.join(inst.queue, "hold", qid), os.path.join(inst.queue, "active", qid))
    line = postqueue(inst, "-p").stdout.split("\n")[1]
    assert line.startswith(qid + "*") and MESSAGE_RX.match(line).end(4) == 26
    assert json.loads(postqueue(inst, "-j").stdout)["queue_name"] == "active"


def test_mailq_alias(mta_instance, mail_users):
    inst = mta_instance("defer_transports = local\n", master_extra=SHOWQ)
    send(inst, "s@example.org", [f"{mail_users[0]}@postern.test"])
    wait_deferred(inst, 1)
    assert os.readlink(os.path.join(BIN, "mailq")) == "postqueue"
    a, b = postqueue(inst, prog="mailq"), postqueue(inst, "-p")
    assert a.returncode == 0 and a.stdout == b.stdout
    assert queue_files(inst, "deferred")[0] in a.stdout


def test_flush_delivers_after_deferral(mta_instance, mail_users):
    scratch = tempfile.mkdtemp(prefix="postern-pq-")
    os.chmod(scratch, 0o1777)
    try:
        script = os.path.join(scratch, "mbox.sh")
        with open(script, "w") as f:
            f.write(f"#!/bin/sh\nif [ -e {scratch}/tried ]; then cat > {scratch}/got.tmp; mv {scratch}/got.tmp {scratch}/got; exit 0; fi\n"
                    f"touch {scratch}/tried; cat >/dev/null; echo try later; exit 75\n")
        os.chmod(script, 0o755)
        inst = mta_instance("minimal_backoff_time = 1000s\nmaximal_backoff_time = 2000s\n"
                            f"queue_run_delay = 1000s\nmailbox_command = {script}\n",
                            master_extra=SHOWQ)
        send(inst, "s@example.org", [f"{mail_users[0]}@postern.test"], subject="flushme")
        wait_deferred(inst, 1)
        assert not os.path.exists(os.path.join(scratch, "got"))
        o = json.loads(postqueue(inst, "-j").stdout)
        assert o["recipients"][0].get("delay_reason")
        f = postqueue(inst, "-f")
        assert f.returncode == 0, f.stderr
        wait_for(lambda: os.path.exists(os.path.join(scratch, "got")), what="delivery")
        with open(os.path.join(scratch, "got")) as fp:
            assert "Subject: flushme" in fp.read()
        wait_for(lambda: postqueue(inst, "-p").stdout == "Mail queue is empty\n",
                 what="empty queue")
        # -s and -i flush everything too.
        assert postqueue(inst, "-s", "example.org").returncode == 0
        assert postqueue(inst, "-i", "0123").returncode == 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_mail_system_down(mta_instance):
    inst = mta_instance(master_extra=SHOWQ)
    inst.stop()
    p = postqueue(inst, "-p")
    assert p.returncode == 69 and p.stdout == ""
    assert p.stderr.startswith("postqueue: fatal: Queue report unavailable - "
                               "mail system is down (")
    assert postqueue(inst, prog="mailq").stderr == p.stderr
    f = postqueue(inst, "-f")
    assert f.returncode == 69
    assert f.stderr == "postqueue: fatal: Cannot flush mail queue - mail system is down\n"


def test_usage(mta_instance):
    inst = mta_instance(master_extra=SHOWQ)
    p = postqueue(inst)
    assert p.returncode == 64 and "usage: postqueue" in p.stderr


@pytest.mark.skipif(not IS_ROOT, reason="checking other users needs root")
def test_authorized_users(mta_instance):
    inst = mta_instance("authorized_mailq_users = root\nauthorized_flush_users = nobody\n",
                        master_extra=SHOWQ)
    os.chmod(inst.root, 0o755)
    p = postqueue(inst, "-p", user="nobody")
    assert p.returncode == 77 and "not allowed to view the mail queue" in p.stderr
    # Allowed to flush; not setgid here, so nobody cannot reach public/.
    f = postqueue(inst, "-f", user="nobody")
    assert f.returncode == 69 and "not allowed" not in f.stderr
    assert postqueue(inst, "-f").returncode == 0
    assert postqueue(inst, "-p").returncode == 0
    inst.write_main_cf("authorized_mailq_users = hash:/etc/whatever\n")
    p = postqueue(inst, "-p", user="nobody")
    assert p.returncode == 77 and "warning: authorized_mailq_users" in p.stderr


def test_same_shape_as_postfix(mta_instance):
    """The queue of t/fixtures/postqueue/README, built in Postern."""
    inst = mta_instance("defer_transports = smtp local\nmynetworks = 127.0.0.0/8\n",
                        master_extra=SHOWQ)
    send(inst, "sender@example.org", ["user@example.com", "root@postern.test"])
    wait_deferred(inst, 1)
    send(inst, "", ["root@postern.test"])
    wait_deferred(inst, 2)
    send(inst, "sender2@example.org", ["other@example.net"])
    wait_deferred(inst, 3)
    held = queue_files(inst, "deferred")[2]
    os.rename(os.path.join(inst.queue, "deferred", held), os.path.join(inst.queue, "hold", held))
    p = postqueue(inst, "-p")
    assert p.returncode == 0, p.stderr
    assert normalise_text(p.stdout) == fixture("mailq.txt")
    want = [json.loads(x) for x in fixture("postqueue-j.json").splitlines()]
    got = normalise_json(postqueue(inst, "-j").stdout)
    assert got == want
    assert [list(o) for o in got] == [list(o) for o in want]


@pytest.mark.skipif(not IS_ROOT, reason="needs root (test accounts)")
def test_flush_site_message_and_etrn(mta_instance, mail_users):
    """postqueue -s retries one domain's deferred mail, -i one message,
    ETRN a fast_flush_domains domain; the rest waits for its retry time."""
    from conftest import HOMES, Dialog
    u = mail_users
    script = os.path.join(HOMES, "flushsite.sh")
    go = os.path.join(HOMES, "flushsite.go")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\n[ -e {go} ] || exit 75\ncat > \"$HOME/got.$$\"\n")
    os.chmod(script, 0o755)
    if os.path.exists(go):
        os.unlink(go)
    inst = mta_instance(f"mailbox_command = {script}\nminimal_backoff_time = 1h\n"
                        "maximal_backoff_time = 2h\nqueue_run_delay = 1h\n"
                        "fast_flush_domains = postern.test\n")

    def send(rcpt):
        with smtplib.SMTP("127.0.0.1", inst.port, source_address=("127.0.0.2", 0),
                          timeout=30) as c:
            c.sendmail("a@example.org", [rcpt], "Subject: flush\r\n\r\nx\r\n")

    send(f"{u[0]}@localhost")
    send(f"{u[1]}@postern.test")
    send(f"{u[2]}@postern.test")
    wait_for(lambda: len(queue_files(inst, "deferred")) == 3, 20, what="three deferred")
    open(go, "w").close()

    def got(user):
        home = os.path.join(HOMES, user)
        return [n for n in os.listdir(home) if n.startswith("got.")]

    postqueue = [os.path.join(BIN, "postqueue"), "-c", inst.etc]
    subprocess.run(postqueue + ["-s", "localhost"], check=True)
    wait_for(lambda: got(u[0]), what="the localhost message")
    time.sleep(0.5)
    assert not got(u[1]) and not got(u[2])
    assert len(queue_files(inst, "deferred")) == 2
    # -i: one message by queue ID.
    line = inst.wait_for_log(rf"(\w+): to=<{u[1]}@postern.test>, .*status=deferred")
    subprocess.run(postqueue + ["-i", line.group(1)], check=True)
    wait_for(lambda: got(u[1]), what="the -i message")
    assert not got(u[2])
    # ETRN for a fast_flush_domains domain.
    d = Dialog(inst.port, source="127.0.0.2")
    try:
        d.reply()
        assert d.cmd("ETRN postern.test")[-1] == "250 Queuing started"
        assert d.cmd("ETRN example.org")[-1] == "459 <example.org>: service unavailable"
    finally:
        d.close()
    wait_for(lambda: got(u[2]), what="the ETRN message")
    assert queue_files(inst, "deferred") == []
    assert subprocess.run(postqueue + ["-i", "bad/id"], capture_output=True).returncode != 0
    os.unlink(go)
