# NAME
#	test_postsuper.py - postsuper -d/-h/-H/-r/-e/-s/-p
# DESCRIPTION
#	Real instances with smtpd, qmgr and local; defer_transports keeps
#	mail in deferred/ (with a long backoff, so only postsuper makes qmgr
#	look at it again). Messages are made by SMTP; misplaced, corrupt and
#	temporary files by hand.
import os
import smtplib
import subprocess
import time

import pytest

from conftest import (BIN, IS_ROOT, SMTPD_MAIN_CF, DELIVERY_MAIN_CF,
                      queue_files, wait_for)

DEFER = ("defer_transports = local\nminimal_backoff_time = 1000s\n"
         "maximal_backoff_time = 2000s\nqueue_run_delay = 1000s\n")
DAY = 24 * 3600


def postsuper(inst, *args, stdin=None, user=None):
    cmd = [os.path.join(BIN, "postsuper"), "-c", inst.etc] + list(args)
    if user:
        cmd = ["setpriv", "--reuid", user, "--regid", "nogroup",
               "--clear-groups"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, input=stdin,
                          timeout=60)


def send(inst, rcpt, subject="test"):
    with smtplib.SMTP("127.0.0.1", inst.port, timeout=30) as c:
        c.ehlo("x")
        c.mail("sender@example.org")
        c.rcpt(rcpt)
        c.data(f"Subject: {subject}\r\n\r\nhello\r\n".encode())


def deferred(inst, count):
    """Send count messages and wait until all are in deferred/."""
    for i in range(count):
        send(inst, f"{inst.user}@postern.test", subject=f"m{i}")
    wait_for(lambda: len(queue_files(inst, "deferred")) == count
             and not queue_files(inst, "active") and not queue_files(inst, "incoming"),
             what=f"{count} deferred")
    return queue_files(inst, "deferred")


@pytest.fixture
def deferring(mta_instance, mail_users):
    def make(extra=""):
        inst = mta_instance(DEFER + extra)
        inst.user = mail_users[0]
        return inst
    return make


def test_delete_one_stdin_all(deferring):
    inst = deferring()
    ids = deferred(inst, 4)
    p = postsuper(inst, "-d", ids[0])
    assert p.returncode == 0, p.stderr
    assert "postsuper: Deleted: 1 message\n" in p.stderr
    assert ids[0] not in queue_files(inst, "deferred")
    assert not os.path.exists(os.path.join(inst.queue, "defer", ids[0]))
    inst.wait_for_log(rf"postsuper\[\d+\]: {ids[0]}: removed")
    p = postsuper(inst, "-d", "-", stdin=f"{ids[1]}\n{ids[2]}\n")
    assert "postsuper: Deleted: 2 messages\n" in p.stderr, p.stderr
    p = postsuper(inst, "-d", "ALL", "deferred")
    assert "postsuper: Deleted: 1 message\n" in p.stderr, p.stderr
    assert queue_files(inst, "deferred") == []
    # Nothing left: no count line, and a bad ID is a warning.
    p = postsuper(inst, "-d", "ALL")
    assert p.returncode == 0 and "Deleted" not in p.stderr
    p = postsuper(inst, "-d", "nonsense.id")
    assert "warning: invalid mail queue id: nonsense.id" in p.stderr


def test_hold_and_release(deferring):
    inst = deferring()
    ids = deferred(inst, 2)
    p = postsuper(inst, "-h", "ALL")
    assert "postsuper: Placed on hold: 2 messages\n" in p.stderr, p.stderr
    assert queue_files(inst, "hold") == ids and queue_files(inst, "deferred") == []
    inst.wait_for_log(rf"postsuper\[\d+\]: {ids[0]}: placed on hold")
    # Deliveries possible again: held mail still waits.
    inst.stop()
    inst.write_main_cf(SMTPD_MAIN_CF + DELIVERY_MAIN_CF)
    inst.start()
    time.sleep(3)
    assert queue_files(inst, "hold") == ids
    assert "status=sent" not in inst.log()
    p = postsuper(inst, "-H", ids[0])
    assert "postsuper: Released from hold: 1 message\n" in p.stderr, p.stderr
    inst.wait_for_log(rf"{ids[0]}: to=<.*status=sent")
    inst.wait_for_log(rf"{ids[0]}: removed")
    assert queue_files(inst, "hold") == ids[1:]
    p = postsuper(inst, "-H", "-", stdin=ids[1] + "\n")
    assert "Released from hold: 1 message" in p.stderr
    inst.wait_for_log(rf"{ids[1]}: to=<.*status=sent")


def test_hold_refuses_active(deferring):
    inst = deferring()
    ids = deferred(inst, 1)
    inst.stop()
    os.rename(os.path.join(inst.queue, "deferred", ids[0]),
              os.path.join(inst.queue, "active", ids[0]))
    p = postsuper(inst, "-h", ids[0])
    assert f"warning: {ids[0]}: message is being delivered; not placed on hold" in p.stderr
    assert "Placed on hold" not in p.stderr
    assert queue_files(inst, "active") == ids
    # Deleting it is fine.
    p = postsuper(inst, "-d", ids[0])
    assert "Deleted: 1 message" in p.stderr and queue_files(inst, "active") == []


def test_requeue(deferring):
    inst = deferring()
    ids = deferred(inst, 1)
    tries = inst.log().count(f"{ids[0]}: to=<")
    p = postsuper(inst, "-r", ids[0])
    assert "postsuper: Requeued: 1 message\n" in p.stderr, p.stderr
    inst.wait_for_log(rf"postsuper\[\d+\]: {ids[0]}: requeued")
    # qmgr takes it from incoming/ at once, despite the long backoff.
    wait_for(lambda: inst.log().count(f"{ids[0]}: to=<") > tries, what="new attempt")
    wait_for(lambda: queue_files(inst, "deferred") == ids, what="deferred again")


def test_expire(deferring):
    inst = deferring()
    ids = deferred(inst, 2)
    p = postsuper(inst, "-e", ids[0])
    assert "postsuper: Expired: 1 message\n" in p.stderr, p.stderr
    inst.wait_for_log(rf"{ids[0]}: to=<.*status=expired, returned to sender")
    inst.wait_for_log(rf"{ids[0]}: removed")
    assert not os.path.exists(os.path.join(inst.queue, "defer", ids[0] + ".expire"))
    assert ids[1] in queue_files(inst, "deferred")
    assert f"{ids[1]}: to=<" in inst.log()
    assert "status=expired" not in "".join(
        line for line in inst.log().splitlines(True) if ids[1] in line)


def test_structure_and_purge(deferring):
    inst = deferring()
    ids = deferred(inst, 1)
    q = inst.queue
    # A temporary file older than a day goes; a fresh one stays (-p while running).
    old = os.path.join(q, "incoming", ".tmp.OLD")
    fresh = os.path.join(q, "incoming", ".tmp.FRESH")
    for path in (old, fresh):
        with open(path, "w") as f:
            f.write("partial")
    os.utime(old, (time.time() - 2 * DAY, time.time() - 2 * DAY))
    p = postsuper(inst, "-p")
    assert p.returncode == 0 and "Purged: 1 temporary file" in p.stderr, p.stderr
    assert not os.path.exists(old) and os.path.exists(fresh)
    inst.stop()
    # A queue file at the top of the queue directory, a corrupt one in deferred/.
    os.rename(os.path.join(q, "deferred", ids[0]), os.path.join(q, ids[0]))
    bad = ids[0][:-1] + ("0" if ids[0][-1] != "0" else "1")
    with open(os.path.join(q, "deferred", bad), "w") as f:
        f.write("not a queue file")
    with open(old, "w") as f:
        f.write("partial")
    os.utime(old, (time.time() - 2 * DAY, time.time() - 2 * DAY))
    p = postsuper(inst, "-s")
    assert p.returncode == 0, p.stderr
    assert f"{ids[0]}: misplaced queue file" in p.stderr
    assert f"{bad}: corrupt queue file" in p.stderr
    assert "Repaired: 3 problems" in p.stderr
    assert queue_files(inst, "incoming") == [".tmp.FRESH", ids[0]]
    assert queue_files(inst, "corrupt") == [bad]
    assert queue_files(inst, "deferred") == []
    # Stopped: -p removes every temporary file.
    p = postsuper(inst, "-p")
    assert "Purged: 1 temporary file" in p.stderr and not os.path.exists(fresh)
    # Nothing to do the second time.
    p = postsuper(inst, "-s")
    assert p.returncode == 0 and "Repaired" not in p.stderr


def test_usage(deferring):
    inst = deferring()
    p = postsuper(inst)
    assert p.returncode == 1 and "usage: postsuper" in p.stderr
    p = postsuper(inst, "-d", "ALL", "bogus")
    assert p.returncode == 1 and "invalid directory name: bogus" in p.stderr


@pytest.mark.skipif(not IS_ROOT, reason="another user needs root")
def test_ordinary_user_refused(deferring):
    inst = deferring()
    ids = deferred(inst, 1)
    p = postsuper(inst, "-d", "ALL", user="nobody")
    assert p.returncode == 1
    assert p.stderr.endswith("\npostsuper: fatal: use of this command is reserved for the superuser\n")
    assert queue_files(inst, "deferred") == ids


def test_lock_excludes(deferring):
    inst = deferring()
    lock = os.path.join(inst.data, "postsuper.lock")
    # A holder of the lock makes a second run wait until it lets go.
    holder = subprocess.Popen(
        ["/usr/bin/python3", "-c",
         "import fcntl,os,sys,time\n"
         f"fd=os.open({lock!r}, os.O_RDWR|os.O_CREAT, 0o600)\n"
         "fcntl.lockf(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(2)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        start = time.time()
        p = postsuper(inst, "-d", "ALL")
        assert p.returncode == 0, p.stderr
        assert time.time() - start > 1
    finally:
        holder.wait(10)
