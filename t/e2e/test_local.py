# NAME
#	test_local.py - the local delivery agent, request by request
# DESCRIPTION
#	Each test starts an instance whose master.cf has only
#	"local unix - n n - - local", writes a queue file into active/ with
#	the test tool build/t/deliver, sends one delivery request with it
#	and checks the answer, the mailbox, the log line and the done marks
#	in the queue file (postcat).
#
#	As root the mail goes to the test accounts of conftest's mail_users
#	(homes under conftest.HOMES), and ownership and rights are
#	checked. As anyone else only the invoking user exists for local, so
#	those tests use a scratch mail_spool_directory (mbox, or Maildir
#	when it ends in '/') and commands that write into scratch
#	directories; tests that need other users or root skip.
import grp
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import BUILD, IS_ROOT, postcat, wait_for

DELIVER = os.path.join(BUILD, "t", "deliver")
MASTER_CF = "local unix - n n - - local\n"

needs_root = pytest.mark.skipif(not IS_ROOT, reason="needs root: other users")

MESSAGE = (b"From: sender@example.org\n"
           b"To: someone@postern.test\n"
           b"Subject: local test\n"
           b"\n"
           b"From the first line of the body\n"
           b">From an already quoted line\n"
           b"From\n"
           b"Fro\n"
           b"8-bit \xc3\xa9\xff and a trailing space \n"
           b".\n"
           b"last line\n")


@pytest.fixture
def local_instance(instance_factory):
    """An instance with only local. "@S@" in main_extra stands for
    .scratch, a sticky world-writable directory outside the instance (a
    spool directory, or where commands leave their traces)."""
    made = []

    def make(main_extra=""):
        scratch = tempfile.mkdtemp(prefix="postern-local-")
        os.chmod(scratch, 0o1777)
        made.append(scratch)
        inst = instance_factory(main_extra=main_extra.replace("@S@", scratch),
                                master_cf=MASTER_CF)
        inst.scratch = scratch
        inst.start()
        return inst
    yield make
    for path in made:
        shutil.rmtree(path, ignore_errors=True)


def write_queue(inst, rcpts, content=MESSAGE, sender="sender@example.org",
                origs=None, attrs=()):
    args = [DELIVER, "-c", inst.etc, "-w", "active", "-f", sender]
    for a in attrs:
        args += ["-a", a]
    for r in rcpts:
        if origs and r in origs:
            args += ["-O", origs[r]]
        args += ["-r", r]
    proc = subprocess.run(args, input=content, capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode().strip()


def deliver(inst, qid, rcpts, transport="local", first=False):
    """Send one request; [(status, dsn, relay, reason)] per recipient.
    With first, the request says retry=0 (qmgr's first attempt)."""
    proc = subprocess.run([DELIVER, "-c", inst.etc, "-q", "active", "-i", qid,
                           "-t", transport] + (["-1"] if first else []) + list(rcpts),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(rcpts), proc.stdout
    return [tuple(line.split(" ", 3)) for line in lines]


def envelope(inst, qid):
    """postcat's envelope: {address: done?}."""
    proc = postcat(inst, "-q", "-e", qid)
    assert proc.returncode == 0, proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"(done_recipient|recipient): (.*)", line)
        if m:
            out[m.group(2)] = m.group(1) == "done_recipient"
    return out


def me():
    return pwd.getpwuid(os.geteuid()).pw_name


def users(mail_users):
    """Recipients that exist: the test accounts, or just ourselves."""
    return mail_users if IS_ROOT else [me()]


def files_in(path):
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return []


def read(path):
    with open(path, "rb") as f:
        return f.read()


def prefix(sender, rcpt):
    return (f"Return-Path: <{sender}>\nDelivered-To: {rcpt}\n").encode()


# Maildir


@needs_root
def test_maildir_in_home(local_instance, mail_users):
    inst = local_instance("home_mailbox = Maildir/\n")
    user = mail_users[0]
    pw = pwd.getpwnam(user)
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt]) == [("sent", "2.0.0", "local", "delivered to maildir")]
    maildir = os.path.join(pw.pw_dir, "Maildir")
    for sub in ("", "tmp", "new", "cur"):
        st = os.stat(os.path.join(maildir, sub))
        assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (pw.pw_uid, pw.pw_gid, 0o700)
    names = files_in(os.path.join(maildir, "new"))
    assert len(names) == 1 and files_in(os.path.join(maildir, "tmp")) == []
    # arrival time.M<usec>_<queue ID>_<recipient hash>.host
    assert re.fullmatch(rf"\d+\.M\d{{6}}_{qid}_{rcpt_hash(rcpt)}\..+", names[0])
    path = os.path.join(maildir, "new", names[0])
    st = os.stat(path)
    assert (st.st_uid, st.st_mode & 0o777) == (pw.pw_uid, 0o600)
    assert read(path) == prefix("sender@example.org", rcpt) + MESSAGE
    inst.wait_for_log(rf"{qid}: to=<{rcpt}>, relay=local, delay=[\d.]+, "
                      r"delays=[\d.]+/[\d.]+/0/[\d.]+, dsn=2\.0\.0, "
                      r"status=sent \(delivered to maildir\)")
    assert envelope(inst, qid) == {rcpt: True}


def test_maildir_in_spool(local_instance, mail_users):
    inst = local_instance("mail_spool_directory = @S@/\n")
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt], sender="")
    assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    new = os.path.join(inst.scratch, user, "new")
    names = files_in(new)
    assert len(names) == 1
    assert read(os.path.join(new, names[0])) == prefix("", rcpt) + MESSAGE


@needs_root
def test_maildir_rights_per_recipient(local_instance, mail_users):
    """One local process delivers one request's recipients in turn, each
    with that user's file system identity (no child process): each file
    belongs to its user, a Maildir the user may not create fails as it
    would for the user (root could), and the next recipient is not
    affected by the one before."""
    inst = local_instance("home_mailbox = Maildir/\n")
    u0, u1, u2 = mail_users
    # u1's home belongs to root: u1 cannot make ~/Maildir.
    os.chown(pwd.getpwnam(u1).pw_dir, 0, 0)
    rcpts = [f"{u0}@postern.test", f"{u1}@postern.test", f"{u2}@postern.test"]
    qid = write_queue(inst, rcpts)
    got = deliver(inst, qid, rcpts, first=True)
    assert got[0][:2] == ("sent", "2.0.0") and got[2][:2] == ("sent", "2.0.0")
    assert got[1][:2] == ("bounced", "5.2.0") and "Permission denied" in got[1][3], got[1]
    for user in (u0, u2):
        pw = pwd.getpwnam(user)
        maildir = os.path.join(pw.pw_dir, "Maildir")
        names = files_in(os.path.join(maildir, "new"))
        assert len(names) == 1
        for path in (maildir, os.path.join(maildir, "new"), os.path.join(maildir, "new", names[0])):
            st = os.stat(path)
            assert (st.st_uid, st.st_gid) == (pw.pw_uid, pw.pw_gid), path
    assert not os.path.exists(os.path.join(pwd.getpwnam(u1).pw_dir, "Maildir"))
    assert envelope(inst, qid) == {rcpts[0]: True, rcpts[1]: True, rcpts[2]: True}


@needs_root
def test_maildir_supplementary_groups(local_instance, mail_users):
    """A delivery has the user's supplementary groups: a spool directory
    writable only by a group takes the Maildirs of its members."""
    group = mail_users[0] + "g"
    subprocess.run(["groupdel", group], capture_output=True)
    subprocess.run(["groupadd", group], check=True)
    spool = tempfile.mkdtemp(prefix="postern-groupspool-")
    try:
        subprocess.run(["usermod", "-a", "-G", group, mail_users[0]], check=True)
        os.chown(spool, 0, grp.getgrnam(group).gr_gid)
        os.chmod(spool, 0o770)
        inst = local_instance(f"mail_spool_directory = {spool}/\n")
        member, other = mail_users[0], mail_users[1]
        rcpts = [f"{member}@postern.test", f"{other}@postern.test"]
        qid = write_queue(inst, rcpts)
        got = deliver(inst, qid, rcpts)
        assert got[0][:2] == ("sent", "2.0.0"), got
        assert got[1][:2] == ("bounced", "5.2.0") and "Permission denied" in got[1][3], got
        assert len(files_in(os.path.join(spool, member, "new"))) == 1
        assert not os.path.exists(os.path.join(spool, other))
    finally:
        shutil.rmtree(spool, ignore_errors=True)
        subprocess.run(["groupdel", group], capture_output=True)


def rcpt_hash(rcpt):
    """The Maildir name's recipient part: FNV-1a 64 of the lower-case address."""
    h = 0xcbf29ce484222325
    for b in rcpt.lower().encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def unmark_done(inst, qid, rcpt):
    """Turn a recipient's 'r' back into 'R', as if local had been killed
    between the delivery and the done mark."""
    path = os.path.join(inst.queue, "active", qid)
    data = bytearray(read(path))
    record = b"r" + bytes([len(rcpt)]) + rcpt.encode()
    at = data.find(record)
    assert len(rcpt) < 128 and at > 0 and data.find(record, at + 1) < 0
    data[at] = ord("R")
    with open(path, "r+b") as f:
        f.write(data)


def test_maildir_exactly_once(local_instance, mail_users):
    """A repeated request finds the recipient done; a repeated attempt
    after a crash between delivery and done mark finds the earlier copy:
    in new/ by its name even on a first attempt (retry=0), in cur/ on a
    retry; either way nothing is delivered twice."""
    inst = local_instance("mail_spool_directory = @S@/\nrecipient_delimiter = +\n")
    user = users(mail_users)[0]
    rcpt, other = f"{user}@postern.test", f"{user}+other@postern.test"
    qid = write_queue(inst, [rcpt, other])
    maildir = os.path.join(inst.scratch, user)
    assert deliver(inst, qid, [rcpt], first=True)[0][:2] == ("sent", "2.0.0")
    assert envelope(inst, qid) == {rcpt: True, other: False}
    # The same request again: the queue file says done.
    assert deliver(inst, qid, [rcpt]) == [
        ("sent", "2.0.0", "local", "already handled by an earlier delivery attempt")]
    assert len(files_in(os.path.join(maildir, "new"))) == 1
    # Delivered, but killed before the mark: the Maildir copy is found,
    # by the rename into new/ on a first attempt, by a search on a retry.
    for first in (True, False):
        unmark_done(inst, qid, rcpt)
        assert envelope(inst, qid) == {rcpt: False, other: False}
        assert deliver(inst, qid, [rcpt], first=first) == [
            ("sent", "2.0.0", "local", "delivered to maildir")]
        assert len(files_in(os.path.join(maildir, "new"))) == 1
        assert files_in(os.path.join(maildir, "tmp")) == []
        assert envelope(inst, qid) == {rcpt: True, other: False}
    found = re.compile(rf"{qid}: {re.escape(rcpt)}: found .* from an earlier attempt")
    wait_for(lambda: len(found.findall(inst.log())) == 2, what="two 'found' log lines")
    # A mail reader moved it to cur/ and flagged it: found on a retry.
    name = files_in(os.path.join(maildir, "new"))[0]
    os.rename(os.path.join(maildir, "new", name),
              os.path.join(maildir, "cur", name + ":2,S"))
    unmark_done(inst, qid, rcpt)
    assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    assert files_in(os.path.join(maildir, "new")) == []
    assert len(files_in(os.path.join(maildir, "cur"))) == 1
    # Another recipient of the same message, same Maildir: delivered; a
    # half-written tmp/ file of a killed attempt for it is replaced, and
    # a leftover of an older-style name is cleaned up on a retry.
    tag = f"_{qid}_{rcpt_hash(rcpt)}."
    assert tag in name
    other_name = name.replace(rcpt_hash(rcpt), rcpt_hash(other))
    with open(os.path.join(maildir, "tmp", other_name), "w") as f:
        f.write("half a message")
    stale = os.path.join(maildir, "tmp", f"1.M1P1Q1_{qid}_{rcpt_hash(other)}.x")
    open(stale, "w").close()
    assert deliver(inst, qid, [other])[0][:2] == ("sent", "2.0.0")
    assert files_in(os.path.join(maildir, "new")) == [other_name]
    assert files_in(os.path.join(maildir, "tmp")) == []
    assert read(os.path.join(maildir, "new", other_name)) == prefix(
        "sender@example.org", other) + MESSAGE
    assert envelope(inst, qid) == {rcpt: True, other: True}


def test_mbox_repeated_request(local_instance, mail_users):
    """mbox has no copy to find; the done mark alone keeps a repeated
    request from delivering twice."""
    inst = local_instance("mail_spool_directory = @S@\n")
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    assert read(os.path.join(inst.scratch, user)).count(b"\nReturn-Path: ") == 1


def test_concurrent_attempts(local_instance, mail_users):
    """Two requests for one recipient at once (qmgr restarted while an
    attempt runs): the second waits for the first, then finds it done."""
    inst = local_instance("mailbox_command = sleep 2; cat > @S@/out.$$\n")
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    args = [DELIVER, "-c", inst.etc, "-q", "active", "-i", qid, "-t", "local", rcpt]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outs = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert outs[0] == "sent 2.0.0 local already handled by an earlier delivery attempt"
    assert outs[1].startswith("sent 2.0.0 local delivered to command: sleep 2")
    assert len([n for n in files_in(inst.scratch) if n.startswith("out.")]) == 1


# mbox


def test_mbox_in_spool(local_instance, mail_users):
    inst = local_instance("mail_spool_directory = @S@\n")
    spool = inst.scratch
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt]) == [("sent", "2.0.0", "local", "delivered to mailbox")]
    qid2 = write_queue(inst, [rcpt], content=b"Subject: second\n\nno newline at the end",
                       sender="")
    assert deliver(inst, qid2, [rcpt])[0][:2] == ("sent", "2.0.0")
    data = read(os.path.join(spool, user))
    first, second = re.split(rb"\n(?=From MAILER-DAEMON )", data)
    assert re.match(rb"From sender@example\.org \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n",
                    first)
    body = first.split(b"\n", 1)[1]
    quoted = MESSAGE.replace(b"\nFrom the first", b"\n>From the first")
    assert body == prefix("sender@example.org", rcpt) + quoted
    assert second.split(b"\n", 1)[1] == (prefix("", rcpt) + b"Subject: second\n\n"
                                         b"no newline at the end\n\n")
    assert files_in(spool) == [user]            # no lock file left
    if IS_ROOT:
        st = os.stat(os.path.join(spool, user))
        assert (st.st_uid, st.st_mode & 0o777) == (pwd.getpwnam(user).pw_uid, 0o600)
    inst.wait_for_log(rf"{qid2}: to=<{rcpt}>, relay=local, .*status=sent "
                      r"\(delivered to mailbox\)")


@needs_root
def test_mbox_spool_owned_by_root(local_instance, mail_users):
    """A spool directory only root can write: root makes the file and its
    lock, the user gets the file, the mail is written as the user."""
    inst = local_instance("mail_spool_directory = @S@/root-only\n")
    spool = os.path.join(inst.scratch, "root-only")
    os.mkdir(spool, 0o755)
    user = mail_users[1]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    st = os.stat(os.path.join(spool, user))
    pw = pwd.getpwnam(user)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (pw.pw_uid, pw.pw_gid, 0o600)
    assert files_in(spool) == [user]
    # A mailbox that belongs to someone else is not written.
    os.chown(os.path.join(spool, user), 0, 0)
    qid = write_queue(inst, [rcpt])
    status, dsn, _, reason = deliver(inst, qid, [rcpt])[0]
    assert (status, dsn) == ("deferred", "4.2.0")
    assert reason == (f"cannot update mailbox {spool}/{user} for user {user}. "
                      f"destination {spool}/{user} is not owned by recipient")


def test_mbox_locked(local_instance, mail_users):
    """A dot-lock held by someone else defers; a stale one is removed."""
    inst = local_instance("mail_spool_directory = @S@\n"
                          "deliver_lock_attempts = 1\nstale_lock_time = 3s\n")
    spool = inst.scratch
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    lock = os.path.join(spool, user + ".lock")
    open(lock, "w").close()
    # Someone else's lock in a sticky directory could not be removed.
    if IS_ROOT:
        os.chown(lock, pwd.getpwnam(user).pw_uid, -1)
    qid = write_queue(inst, [rcpt])
    status, dsn, _, reason = deliver(inst, qid, [rcpt])[0]
    assert (status, dsn) == ("deferred", "4.2.0")
    assert reason == (f"cannot update mailbox {spool}/{user} for user {user}. "
                      f"unable to create lock file {lock}: File exists")
    assert envelope(inst, qid) == {rcpt: False}
    inst.wait_for_log(rf"{qid}: to=<{rcpt}>, .*dsn=4\.2\.0, status=deferred "
                      r"\(cannot update mailbox")
    # Older than stale_lock_time (whole seconds of ctime): removed, then
    # delivered.
    time.sleep(4.2)
    assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    assert not os.path.exists(lock)
    inst.wait_for_log(rf"removing stale lock file {re.escape(lock)}")


@needs_root
def test_mailbox_in_home(local_instance, mail_users):
    inst = local_instance("home_mailbox = Mailbox\n")
    user = mail_users[2]
    pw = pwd.getpwnam(user)
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt]) == [("sent", "2.0.0", "local", "delivered to mailbox")]
    path = os.path.join(pw.pw_dir, "Mailbox")
    st = os.stat(path)
    assert (st.st_uid, st.st_mode & 0o777) == (pw.pw_uid, 0o600)
    assert read(path).startswith(b"From sender@example.org ")
    assert read(path).endswith(b"last line\n\n")
    # Postfix's home mailbox lock is a dot-lock in the home directory.
    assert not os.path.exists(path + ".lock")


# mailbox_command


def command_instance(local_instance, command, extra=""):
    return local_instance(f"recipient_delimiter = +\n{extra}mailbox_command = {command}\n")


def test_command_delivery_and_environment(local_instance, mail_users):
    cmd = "cat > @S@/msg.$USER; env > @S@/env.$USER; id -u > @S@/uid.$USER"
    inst = command_instance(local_instance, cmd)
    user = users(mail_users)[0]
    rcpt = f"{user.upper()}+Ext@Postern.Test"
    qid = write_queue(inst, [rcpt], origs={rcpt: "alias@postern.test"},
                      attrs=["client_address=192.0.2.7", "helo_name=helo;rm -rf"])
    status = deliver(inst, qid, [rcpt])[0]
    expanded = cmd.replace("@S@", inst.scratch)
    pw = pwd.getpwnam(user)
    assert status == ("sent", "2.0.0", "local", f"delivered to command: {expanded}")
    msg = read(os.path.join(inst.scratch, f"msg.{user}"))
    assert re.match(rb"From sender@example\.org \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n", msg)
    assert msg.split(b"\n", 1)[1] == prefix("sender@example.org", rcpt) + MESSAGE
    env = dict(line.split("=", 1) for line in
               read(os.path.join(inst.scratch, f"env.{user}")).decode().splitlines()
               if "=" in line)
    assert env["PATH"] == "/usr/bin:/bin"
    assert env["HOME"] == pw.pw_dir and env["SHELL"] == (pw.pw_shell or "/bin/sh")
    assert env["USER"] == env["LOGNAME"] == user
    assert env["SENDER"] == "sender@example.org"
    assert env["RECIPIENT"] == rcpt
    assert env["LOCAL"] == f"{user}+ext"
    assert env["EXTENSION"] == "ext"
    assert env["DOMAIN"] == "postern.test"
    assert env["ORIGINAL_RECIPIENT"] == "alias@postern.test"
    assert env["CLIENT_ADDRESS"] == "192.0.2.7"
    assert env["CLIENT_HELO"] == "helo_rm_-rf"          # command_expansion_filter
    assert read(os.path.join(inst.scratch, f"uid.{user}")).strip() == str(pw.pw_uid).encode()
    inst.wait_for_log(rf"{qid}: to=<{re.escape(rcpt)}>, orig_to=<alias@postern\.test>, "
                      rf"relay=local, .*status=sent \(delivered to command: ")
    if IS_ROOT:
        assert os.stat(os.path.join(inst.scratch, f"msg.{user}")).st_uid == pw.pw_uid


@pytest.mark.parametrize("script, status, dsn, reason", [
    ("cat >/dev/null; echo busy; exit 75", "deferred", "4.3.0",
     "temporary failure. Command output: busy"),
    ("echo 'no such folder'; exit 1", "bounced", "5.3.0",
     'Command died with status 1: "@CMD@". Command output: no such folder'),
    ("exit 2", "bounced", "5.3.0", 'Command died with status 2: "@CMD@"'),
    ("echo '4.2.2 mailbox is full'; exit 1", "deferred", "4.2.2", "mailbox is full"),
    ("exit 67", "bounced", "5.1.1", "user unknown"),
    ("kill -9 $$", "deferred", "4.3.0", 'Command died with signal 9: "@CMD@"'),
    ("exit 0", "sent", "2.0.0", "delivered to command: @CMD@"),
])
def test_command_exit_status(local_instance, mail_users, script, status, dsn, reason):
    inst = command_instance(local_instance, script)
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt]) == [(status, dsn, "local", reason.replace("@CMD@", script))]
    assert envelope(inst, qid) == {rcpt: status != "deferred"}


def test_command_time_limit(local_instance, mail_users):
    inst = command_instance(local_instance, "sleep 30 & echo started; sleep 30",
                            "command_time_limit = 1s\n")
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt])[0] == (
        "bounced", "5.3.0", "local",
        'Command time limit exceeded: "sleep 30 & echo started; sleep 30". '
        "Command output: started")


def test_command_large_output_and_input(local_instance, mail_users):
    """A command that writes a lot before it reads must not deadlock."""
    inst = command_instance(local_instance,
                            "head -c 300000 /dev/zero | tr '\\0' x; cat > @S@/big; exit 1")
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    body = b"Subject: big\n\n" + b"y" * 100 + b"\n" * 1 + (b"z" * 999 + b"\n") * 1000
    qid = write_queue(inst, [rcpt], content=body)
    status, dsn, _, reason = deliver(inst, qid, [rcpt])[0]
    assert (status, dsn) == ("bounced", "5.3.0")
    assert reason.endswith("Command output: " + "x" * 1024)
    assert read(os.path.join(inst.scratch, "big")).endswith(body)


@needs_root
def test_command_for_root_runs_as_default_privs(local_instance):
    inst = command_instance(local_instance, "id -u > @S@/rootcmd")
    qid = write_queue(inst, ["root@postern.test"])
    assert deliver(inst, qid, ["root@postern.test"])[0][:2] == ("sent", "2.0.0")
    assert read(os.path.join(inst.scratch, "rootcmd")).strip() == \
        str(pwd.getpwnam("nobody").pw_uid).encode()


# Addresses


def test_forwarding_loop(local_instance, mail_users):
    inst = local_instance("mail_spool_directory = @S@\n")
    user = users(mail_users)[0]
    rcpt = f"{user}@postern.test"
    looped = (b"Received: from x\n"
              b"delivered-to:   " + rcpt.upper().encode() + b"  \n"
              b"Subject: loop\n\nbody\n")
    folded = b"Delivered-To:\n " + rcpt.encode() + b"\nSubject: folded\n\nbody\n"
    for content in (looped, folded):
        qid = write_queue(inst, [rcpt], content=content)
        assert deliver(inst, qid, [rcpt]) == [
            ("bounced", "5.4.6", "local", f"mail forwarding loop for {rcpt}")]
        inst.wait_for_log(rf"{qid}: to=<{rcpt}>, relay=local, .*dsn=5\.4\.6, "
                          rf"status=bounced \(mail forwarding loop for {rcpt}\)")
        assert envelope(inst, qid) == {rcpt: True}
    # Another recipient's Delivered-To, or one in the body: no loop.
    for content in (b"Delivered-To: someone-else@postern.test\nSubject: s\n\nbody\n",
                    b"Subject: s\n\nDelivered-To: " + rcpt.encode() + b"\n"):
        qid = write_queue(inst, [rcpt], content=content)
        assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
    assert read(os.path.join(inst.scratch, user)).count(b"\nReturn-Path: ") == 2


def test_recipient_delimiter_and_case(local_instance, mail_users):
    user = users(mail_users)[0]
    delims = "+" if "-" in user else "+-"
    inst = local_instance(f"mail_spool_directory = @S@\nrecipient_delimiter = {delims}\n")
    rcpts = [f"{user}+foo@postern.test", f"{user.upper()}+Bar@POSTERN.test",
             f"{user}@postern.test"]
    if delims == "+-":
        rcpts.append(f"{user}-baz@postern.test")
    unknown = ["nosuch+foo@postern.test", "+foo@postern.test"]
    qid = write_queue(inst, rcpts + unknown)
    got = deliver(inst, qid, rcpts + unknown)
    assert [g[:2] for g in got[:len(rcpts)]] == [("sent", "2.0.0")] * len(rcpts)
    assert got[len(rcpts):] == [
        ("bounced", "5.1.1", "local", 'unknown user: "nosuch+foo"'),
        # An empty user part is not split off: the whole is the user.
        ("bounced", "5.1.1", "local", 'unknown user: "+foo"')]
    data = read(os.path.join(inst.scratch, user))
    assert data.count(b"\nDelivered-To: ") == len(rcpts)
    assert b"\nDelivered-To: " + rcpts[1].encode() + b"\n" in data


def test_unknown_user(local_instance):
    inst = local_instance()
    rcpts = ["nosuchuser@postern.test", "NoSuchUser2@Postern.Test"]
    qid = write_queue(inst, rcpts)
    assert deliver(inst, qid, rcpts) == [
        ("bounced", "5.1.1", "local", 'unknown user: "nosuchuser"'),
        ("bounced", "5.1.1", "local", 'unknown user: "nosuchuser2"')]
    inst.wait_for_log(r"to=<nosuchuser@postern\.test>, relay=local, delay=[\d.]+, "
                      r"delays=[\d.]+/[\d.]+/0/[\d.]+, dsn=5\.1\.1, "
                      r"status=bounced \(unknown user: \"nosuchuser\"\)")
    assert envelope(inst, qid) == {r: True for r in rcpts}


def test_mixed_request_marks_only_final(local_instance, mail_users):
    """sent and bounced are marked done, deferred is not; the queue file
    is the truth a restarted qmgr starts from."""
    inst = command_instance(local_instance,
                            'case "$EXTENSION" in defer) exit 75;; *) cat >/dev/null;; esac')
    user = users(mail_users)[0]
    rcpts = [f"{user}@postern.test", f"{user}+defer@postern.test", "nobody-here@postern.test"]
    qid = write_queue(inst, rcpts)
    got = deliver(inst, qid, rcpts)
    assert [g[0] for g in got] == ["sent", "deferred", "bounced"]
    assert envelope(inst, qid) == {rcpts[0]: True, rcpts[1]: False, rcpts[2]: True}


@pytest.mark.skipif(IS_ROOT, reason="as root every user is deliverable")
def test_unprivileged_other_user_deferred(local_instance):
    inst = local_instance()
    qid = write_queue(inst, ["root@postern.test"])
    status = deliver(inst, qid, ["root@postern.test"])[0]
    assert status[:2] == ("deferred", "4.3.5")
    assert status[3] == (f'cannot deliver as user "root": the local delivery agent '
                         f'runs as "{me()}", not as root')


def test_agent_down(instance_factory):
    """No local service: deliver_request_call defers everything."""
    inst = instance_factory(master_cf="")
    inst.start()
    qid = write_queue(inst, ["a@postern.test"])
    proc = subprocess.run([DELIVER, "-c", inst.etc, "-q", "active", "-i", qid, "-t", "local",
                           "a@postern.test"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert proc.stdout.startswith("deferred 4.3.0 none delivery agent failure: "
                                  "connect to private/local: ")


# Full disk: a small tmpfs (root only).


@pytest.fixture
def tiny_fs():
    if not IS_ROOT:
        pytest.skip("mounting a small file system needs root")
    path = tempfile.mkdtemp(prefix="postern-full-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=1777", "tmpfs", path],
                      capture_output=True).returncode:
        os.rmdir(path)
        pytest.skip("cannot mount tmpfs here")
    yield path
    subprocess.run(["umount", path])
    os.rmdir(path)


BIG = b"Subject: big\n\n" + (b"b" * 99 + b"\n") * 1000


@needs_root
def test_maildir_disk_full(local_instance, mail_users, tiny_fs):
    inst = local_instance(f"mail_spool_directory = {tiny_fs}/\n")
    user = mail_users[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt], content=BIG)
    assert deliver(inst, qid, [rcpt]) == [
        ("deferred", "4.3.0", "local",
         "maildir delivery failed: error writing message: No space left on device")]
    for sub in ("tmp", "new", "cur"):
        assert files_in(os.path.join(tiny_fs, user, sub)) == []
    assert envelope(inst, qid) == {rcpt: False}
    # A small one still fits: the failed one left nothing behind.
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt])[0][0] == "sent"


@needs_root
def test_mbox_disk_full_truncates(local_instance, mail_users, tiny_fs):
    inst = local_instance(f"mail_spool_directory = {tiny_fs}\n")
    user = mail_users[0]
    rcpt = f"{user}@postern.test"
    qid = write_queue(inst, [rcpt])
    assert deliver(inst, qid, [rcpt])[0][0] == "sent"
    before = read(os.path.join(tiny_fs, user))
    qid = write_queue(inst, [rcpt], content=BIG)
    assert deliver(inst, qid, [rcpt]) == [
        ("deferred", "4.3.0", "local",
         f"cannot update mailbox {tiny_fs}/{user} for user {user}. "
         "error writing message: No space left on device")]
    assert read(os.path.join(tiny_fs, user)) == before
    assert files_in(tiny_fs) == [user]
