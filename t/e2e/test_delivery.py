# NAME
#	test_delivery.py - from SMTP to the mailbox: smtpd, qmgr, local
# DESCRIPTION
#	Real instances with smtpd, qmgr and local; mail sent with smtplib
#	and smtp-source; delivered to Maildirs in test users' homes (as
#	root) or to mbox files in a scratch spool directory.
import email
import email.policy
import os
import pwd
import re
import shutil
import signal
import smtplib
import subprocess
import threading
import time

import pytest

from conftest import (HOMES, IS_ROOT, maildir_messages, pids_of, queue_files, wait_for)

needs_root = pytest.mark.skipif(not IS_ROOT, reason="delivery to other users needs root")


def message(subject="test", body="hello\r\n", msgid=None):
    hdr = f"From: sender@example.org\r\nTo: someone@postern.test\r\nSubject: {subject}\r\n"
    if msgid:
        hdr += f"Message-ID: <{msgid}>\r\n"
    return (hdr + "\r\n" + body).encode()


def strip_added_headers(raw):
    """Remove what local and smtpd prepend: Return-Path, Delivered-To, Received."""
    lines = raw.split(b"\n")
    i = 0
    while i < len(lines) and (lines[i].startswith((b"Return-Path:", b"Delivered-To:", b"Received:"))
                              or (i > 0 and lines[i].startswith((b"\t", b" ")))):
        i += 1
    return b"\n".join(lines[i:])


@needs_root
def test_maildir_delivery_byte_for_byte(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n")
    user = mail_users[0]
    body = b"From: s@example.org\r\nSubject: exact\r\n\r\nline one\r\n..dot\r\n\xc3\xa9\xff\r\n"
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.ehlo("x")
        c.mail("s@example.org")
        c.rcpt(f"{user}@postern.test")
        c.data(body)
    msgs = wait_for(lambda: maildir_messages(user), what="delivery")
    assert len(msgs) == 1
    raw = msgs[0]
    assert raw.startswith(b"Return-Path: <s@example.org>\nDelivered-To: " + f"{user}@postern.test".encode() + b"\n")
    # smtplib dot-stuffs "..dot" to "...dot"; smtpd unstuffs once.
    assert strip_added_headers(raw) == body.replace(b"\r\n", b"\n")
    path = os.path.join(pwd.getpwnam(user).pw_dir, "Maildir", "new")
    st = os.stat(os.path.join(path, os.listdir(path)[0]))
    assert st.st_uid == pwd.getpwnam(user).pw_uid
    inst.wait_for_log(rf"to=<{user}@postern\.test>, relay=local, delay=[\d.]+, "
                      r"delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+, dsn=2\.0\.0, status=sent \(delivered to maildir\)")
    inst.wait_for_log(r": removed")
    inst.wait_for_log(r": from=<s@example\.org>, size=\d+, nrcpt=1 \(queue active\)")
    assert queue_files(inst, "active") == [] and queue_files(inst, "incoming") == []


def test_mbox_delivery(mta_instance, mail_users):
    import tempfile
    spool = tempfile.mkdtemp(prefix="postern-spool-")
    os.chmod(spool, 0o1777)
    inst = mta_instance(f"mail_spool_directory = {spool}\n")
    user = mail_users[0]
    body = b"Subject: mbox\r\n\r\nFrom the start\r\nplain\r\n"
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.ehlo("x")
        c.sendmail("s@example.org", [f"{user}@postern.test"], body)
    mbox = os.path.join(spool, user)
    wait_for(lambda: os.path.exists(mbox) and os.path.getsize(mbox) > 0, what="mbox")
    inst.wait_for_log(r"status=sent \(delivered to mailbox\)")
    data = open(mbox, "rb").read()
    assert data.startswith(b"From s@example.org ")
    assert b"\n>From the start\n" in data
    assert data.endswith(b"plain\n\n")
    shutil.rmtree(spool, ignore_errors=True)


@needs_root
def test_many_recipients_and_sessions(mta_instance, mail_users):
    # 1,000 recipients: extensions of three users (recipient_delimiter).
    inst = mta_instance("home_mailbox = Maildir/\nsmtpd_recipient_limit = 2000\n"
                        "recipient_delimiter = +\n")
    users = mail_users
    rcpts = [f"{users[i % 3]}+{i}@postern.test" for i in range(1000)]
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=60) as c:
        c.ehlo("x")
        c.sendmail("s@example.org", rcpts, b"Subject: many\r\n\r\nmany\r\n")
    wait_for(lambda: sum(len(maildir_messages(u)) for u in users) == 1000, timeout=120,
             what="1000 deliveries")
    # Concurrent sessions.
    def one(i):
        with smtplib.SMTP("127.0.0.1", inst.port, timeout=60) as c:
            c.sendmail("s@example.org", [f"{users[1]}@postern.test"], message(msgid=f"c{i}@x"))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait_for(lambda: len(maildir_messages(users[1])) == 333 + 20, timeout=60, what="concurrent")


@needs_root
def test_mailbox_command_defer_and_bounce(mta_instance, mail_users):
    script = os.path.join(HOMES, "mbcmd.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\ncat > /dev/null\ncase \"$RECIPIENT\" in\n"
                "  *tempfail*) echo try later; exit 75;;\n"
                "  *) echo no such mailbox here; exit 1;;\nesac\n")
    os.chmod(script, 0o755)
    u = mail_users
    inst = mta_instance(f"home_mailbox = Maildir/\nrecipient_delimiter = +\n"
                        f"mailbox_command = {script}\n")
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.sendmail(f"{u[0]}@postern.test", [f"{u[1]}+tempfail@postern.test"], message("defer me"))
        c.sendmail(f"{u[0]}@postern.test", [f"{u[2]}@postern.test"], message("bounce me"))
    inst.wait_for_log(rf"to=<{u[1]}\+tempfail@postern\.test>.*status=deferred")
    inst.wait_for_log(rf"to=<{u[2]}@postern\.test>.*dsn=5\.3\.0, status=bounced")
    # The bounce reaches the sender's Maildir (no mailbox_command for the DSN? it is
    # delivered by the same command, which bounces it; so check the queue instead).
    inst.wait_for_log(r"sender non-delivery notification: \w+")
    wait_for(lambda: queue_files(inst, "deferred"), what="deferred message")


@needs_root
def test_bounce_dsn_reaches_sender(mta_instance, mail_users):
    u = mail_users
    inst = mta_instance("home_mailbox = Maildir/\n")
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.sendmail(f"{u[0]}@postern.test", ["nosuchuser@postern.test"], message("to nobody"))
    inst.wait_for_log(r"to=<nosuchuser@postern\.test>, relay=local, .*dsn=5\.1\.1, "
                      r"status=bounced \(unknown user: \"nosuchuser\"\)")
    msgs = wait_for(lambda: maildir_messages(u[0]), what="bounce in sender's Maildir")
    msg = email.message_from_bytes(msgs[0], policy=email.policy.default)
    assert msg.get_content_type() == "multipart/report"
    assert msg.get_param("report-type") == "delivery-status"
    parts = list(msg.iter_parts())
    assert parts[1].get_content_type() == "message/delivery-status"
    text = parts[1].as_string()
    assert "Final-Recipient: rfc822; nosuchuser@postern.test" in text
    assert "Action: failed" in text and "Status: 5.1.1" in text
    assert msg["From"].startswith("MAILER-DAEMON@postern.test")


@needs_root
def test_backoff_lifetime_and_flush(mta_instance, mail_users):
    u = mail_users
    script = os.path.join(HOMES, "tempfail.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\ncat >/dev/null\nexit 75\n")
    os.chmod(script, 0o755)
    inst = mta_instance(f"maximal_queue_lifetime = 6s\nbounce_queue_lifetime = 6s\n"
                        f"mailbox_command = {script}\n")
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.sendmail(f"{u[0]}@postern.test", [f"{u[1]}@postern.test"], message("retry"))
    inst.wait_for_log(r"status=deferred")
    wait_for(lambda: queue_files(inst, "deferred"), what="deferred")
    # Retried with backoff (min 2s): at least a second attempt before expiry.
    wait_for(lambda: inst.log().count("status=deferred") >= 2, timeout=15, what="retry")
    inst.wait_for_log(r"status=expired, returned to sender", timeout=20)
    wait_for(lambda: not queue_files(inst, "deferred"), timeout=20, what="expired message removed")


@needs_root
def test_flush_after_deferral_delivers(mta_instance, mail_users):
    u = mail_users
    script = os.path.join(HOMES, "flush.sh")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\n[ -e {HOMES}/go ] || exit 75\n"
                "cat > \"$HOME/flushed\"\n")
    os.chmod(script, 0o755)
    try:
        os.unlink(os.path.join(HOMES, "go"))
    except FileNotFoundError:
        pass
    inst = mta_instance(f"mailbox_command = {script}\nminimal_backoff_time = 1h\n"
                        f"maximal_backoff_time = 2h\nqueue_run_delay = 1h\n")
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.sendmail(f"{u[0]}@postern.test", [f"{u[1]}@postern.test"], message("flush"))
    wait_for(lambda: queue_files(inst, "deferred"), what="deferred")
    open(os.path.join(HOMES, "go"), "w").close()
    assert inst.cmd("flush").returncode == 0
    home = pwd.getpwnam(u[1]).pw_dir
    wait_for(lambda: os.path.exists(os.path.join(home, "flushed")), what="flushed delivery")
    wait_for(lambda: not queue_files(inst, "deferred"), what="queue empty")
    os.unlink(os.path.join(HOMES, "go"))


@needs_root
def test_kill_qmgr_and_local_exactly_once(mta_instance, mail_users):
    u = mail_users
    inst = mta_instance("home_mailbox = Maildir/\n")
    total = 1000
    sent = []

    def client(start, count):
        with smtplib.SMTP("127.0.0.1", inst.port, timeout=60) as c:
            for i in range(start, start + count):
                c.sendmail("s@example.org", [f"{u[i % 3]}@postern.test"],
                           message(msgid=f"m{i}@load.test"))
                sent.append(i)

    threads = [threading.Thread(target=client, args=(k * 250, 250)) for k in range(4)]
    for t in threads:
        t.start()
    # Kill qmgr and local a few times while mail flows.
    for _ in range(3):
        time.sleep(0.7)
        for pattern in ("qmgr -c " + inst.etc, "local -c " + inst.etc):
            for pid in pids_of(pattern):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass            # it finished on its own meanwhile
    for t in threads:
        t.join()
    assert len(sent) == total

    def ids():
        found = []
        for user in u:
            for raw in maildir_messages(user):
                m = re.search(rb"Message-ID: <(m\d+@load\.test)>", raw)
                assert m, raw[:2000]
                found.append(m.group(1).decode())
        return found
    wait_for(lambda: len(set(ids())) == total, timeout=180, what="all delivered")
    time.sleep(1)
    got = ids()
    assert len(got) == len(set(got)) == total        # each exactly once


@needs_root
def test_delay_warning_sent_once(mta_instance, mail_users):
    u = mail_users
    script = os.path.join(HOMES, "tempfail2.sh")
    # u[1] defers; anyone else gets the message in ~/notice.eml.
    with open(script, "w") as f:
        f.write("#!/bin/sh\ncase \"$RECIPIENT\" in\n"
                f"  *{u[1]}*) cat >/dev/null; exit 75;;\n"
                "esac\ncat > \"$HOME/notice.tmp\" && mv \"$HOME/notice.tmp\" \"$HOME/notice.eml\"\n")
    os.chmod(script, 0o755)
    inst = mta_instance(f"mailbox_command = {script}\ndelay_warning_time = 2s\n"
                        f"minimal_backoff_time = 1s\nmaximal_backoff_time = 1s\n")
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.sendmail(f"{u[0]}@postern.test", [f"{u[1]}@postern.test"], message("slow"))
    inst.wait_for_log(r"sender delay notification: \w+", timeout=20)
    notice = os.path.join(pwd.getpwnam(u[0]).pw_dir, "notice.eml")
    wait_for(lambda: os.path.exists(notice), what="delay notice delivered to the sender")
    msg = email.message_from_bytes(open(notice, "rb").read(), policy=email.policy.default)
    assert msg.get_content_type() == "multipart/report"
    assert "Action: delayed" in list(msg.iter_parts())[1].as_string()
    time.sleep(4)
    assert inst.log().count("sender delay notification") == 1


def test_defer_transports_holds_mail(mta_instance, mail_users):
    inst = mta_instance("defer_transports = local\n")
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.sendmail("s@example.org", [f"{mail_users[0]}@postern.test"], message("held"))
    inst.wait_for_log(r"status=deferred \(deferred transport\)")
    wait_for(lambda: queue_files(inst, "deferred"), what="held in deferred/")
    with open(os.path.join(inst.queue, "defer", queue_files(inst, "deferred")[0])) as f:
        assert "deferred transport" in f.read()
