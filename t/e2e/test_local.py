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
#	(homes under /tmp/postern-test-homes), and ownership and rights are
#	checked. As anyone else only the invoking user exists for local, so
#	those tests use a scratch mail_spool_directory (mbox, or Maildir
#	when it ends in '/') and commands that write into scratch
#	directories; tests that need other users or root skip.
import os
import pwd
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import BUILD, IS_ROOT, postcat

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
    """An instance with only local; .scratch is a directory anyone may use."""
    def make(main_extra=""):
        inst = instance_factory(main_extra=main_extra, master_cf=MASTER_CF)
        inst.scratch = os.path.join(inst.root, "scratch")
        os.makedirs(inst.scratch)
        os.chmod(inst.scratch, 0o1777)
        inst.start()
        return inst
    return make


def scratch_dir(prefix, mode=0o1777):
    """A directory outside any instance, readable by the test users."""
    path = tempfile.mkdtemp(prefix=prefix)
    os.chmod(path, mode)
    return path


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


def deliver(inst, qid, rcpts, transport="local"):
    """Send one request; [(status, dsn, relay, reason)] per recipient."""
    proc = subprocess.run([DELIVER, "-c", inst.etc, "-q", "active", "-i", qid,
                           "-t", transport] + list(rcpts),
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
    # time.M<usec>P<pid>Q<n>_<queue ID>_<recipient hash>.host
    assert re.fullmatch(rf"\d+\.M\d{{6}}P\d+Q\d+_{qid}_[0-9a-f]{{16}}\..+", names[0])
    path = os.path.join(maildir, "new", names[0])
    st = os.stat(path)
    assert (st.st_uid, st.st_mode & 0o777) == (pw.pw_uid, 0o600)
    assert read(path) == prefix("sender@example.org", rcpt) + MESSAGE
    inst.wait_for_log(rf"{qid}: to=<{rcpt}>, relay=local, delay=[\d.]+, "
                      r"delays=[\d.]+/[\d.]+/0/[\d.]+, dsn=2\.0\.0, "
                      r"status=sent \(delivered to maildir\)")
    assert envelope(inst, qid) == {rcpt: True}


def test_maildir_in_spool(local_instance, mail_users):
    spool = scratch_dir("postern-maildirs-")
    try:
        inst = local_instance(f"mail_spool_directory = {spool}/\n")
        user = users(mail_users)[0]
        rcpt = f"{user}@postern.test"
        qid = write_queue(inst, [rcpt], sender="")
        assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
        new = os.path.join(spool, user, "new")
        names = files_in(new)
        assert len(names) == 1
        assert read(os.path.join(new, names[0])) == prefix("", rcpt) + MESSAGE
    finally:
        shutil.rmtree(spool, ignore_errors=True)


def test_maildir_exactly_once(local_instance, mail_users):
    """A repeated request (a crash between delivery and the done mark)
    finds the earlier copy, in new/ or in cur/, and delivers nothing."""
    spool = scratch_dir("postern-maildirs-")
    try:
        inst = local_instance(f"mail_spool_directory = {spool}/\n"
                              "recipient_delimiter = +\n")
        user = users(mail_users)[0]
        rcpt, other = f"{user}@postern.test", f"{user}+other@postern.test"
        qid = write_queue(inst, [rcpt, other])
        maildir = os.path.join(spool, user)
        assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
        assert envelope(inst, qid) == {rcpt: True, other: False}
        # The same request again: reported delivered, no second file.
        assert deliver(inst, qid, [rcpt]) == [("sent", "2.0.0", "local", "delivered to maildir")]
        assert len(files_in(os.path.join(maildir, "new"))) == 1
        inst.wait_for_log(rf"{qid}: {re.escape(rcpt)}: found .* from an earlier attempt")
        # A mail reader moved it to cur/ and flagged it: still found.
        name = files_in(os.path.join(maildir, "new"))[0]
        os.rename(os.path.join(maildir, "new", name),
                  os.path.join(maildir, "cur", name + ":2,S"))
        assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
        assert files_in(os.path.join(maildir, "new")) == []
        assert len(files_in(os.path.join(maildir, "cur"))) == 1
        # A leftover in tmp/ from a crashed attempt is no delivery, and goes.
        with open(os.path.join(maildir, "tmp", f"1.M1P1Q1_{qid}_0000000000000000.x"), "w"):
            pass
        # Another recipient of the same message into the same Maildir: delivered.
        assert deliver(inst, qid, [other])[0][:2] == ("sent", "2.0.0")
        assert len(files_in(os.path.join(maildir, "new"))) == 1
        assert envelope(inst, qid) == {rcpt: True, other: True}
    finally:
        shutil.rmtree(spool, ignore_errors=True)


# mbox


def test_mbox_in_spool(local_instance, mail_users):
    spool = scratch_dir("postern-spool-")
    try:
        inst = local_instance(f"mail_spool_directory = {spool}\n")
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
    finally:
        shutil.rmtree(spool, ignore_errors=True)


@needs_root
def test_mbox_spool_owned_by_root(local_instance, mail_users):
    """A spool directory only root can write: root makes the file and its
    lock, the user gets the file, the mail is written as the user."""
    spool = scratch_dir("postern-spool-", 0o755)
    try:
        inst = local_instance(f"mail_spool_directory = {spool}\n")
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
    finally:
        shutil.rmtree(spool, ignore_errors=True)


def test_mbox_locked(local_instance, mail_users):
    """A dot-lock held by someone else defers; a stale one is removed."""
    spool = scratch_dir("postern-spool-")
    try:
        inst = local_instance(f"mail_spool_directory = {spool}\n"
                              "deliver_lock_attempts = 2\ndeliver_lock_delay = 1s\n")
        user = users(mail_users)[0]
        rcpt = f"{user}@postern.test"
        lock = os.path.join(spool, user + ".lock")
        open(lock, "w").close()
        qid = write_queue(inst, [rcpt])
        status, dsn, _, reason = deliver(inst, qid, [rcpt])[0]
        assert (status, dsn) == ("deferred", "4.2.0")
        assert reason.startswith(f"cannot update mailbox {spool}/{user} for user {user}. "
                                 f"unable to create lock file {lock}: File exists")
        assert envelope(inst, qid) == {rcpt: False}
        inst.wait_for_log(rf"{qid}: to=<{rcpt}>, .*dsn=4\.2\.0, status=deferred "
                          r"\(cannot update mailbox")
        # Old enough to be stale: removed, then delivered.
        os.utime(lock, (1, 1))
        inst.write_main_cf(f"mail_spool_directory = {spool}\nstale_lock_time = 1s\n")
        inst.cmd("reload")
        os.utime(lock, (1, 1))
        # The ctime counts, which utime cannot set back: wait past 1s.
        import time
        time.sleep(2.2)
        assert deliver(inst, qid, [rcpt])[0][:2] == ("sent", "2.0.0")
        assert not os.path.exists(lock)
        inst.wait_for_log(rf"removing stale lock file {re.escape(lock)}")
    finally:
        shutil.rmtree(spool, ignore_errors=True)


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
    inst = local_instance(extra)
    inst.write_main_cf("recipient_delimiter = +\n" + extra +
                       f"mailbox_command = {command.replace('@S@', inst.scratch)}\n")
    inst.cmd("reload")
    return inst


def test_command_delivery_and_environment(local_instance, mail_users):
    cmd = "cat > @S@/msg.$USER; env > @S@/env.$USER; id -u > @S@/uid.$USER"
    inst = command_instance(local_instance, cmd)
    user = users(mail_users)[0]
    rcpt = f"{user.upper()}+Ext@Postern.Test"
    qid = write_queue(inst, [rcpt], origs={rcpt: "alias@postern.test"},
                      attrs=["client_address=192.0.2.7", "helo_name=helo;rm -rf"])
    status = deliver(inst, qid, [rcpt])[0]
    expanded = cmd.replace("@S@", inst.scratch)
    assert status == ("sent", "2.0.0", "local", f"delivered to command: {expanded}")
    msg = read(os.path.join(inst.scratch, f"msg.{user}"))
    assert re.match(rb"From sender@example\.org \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n", msg)
    assert msg.split(b"\n", 1)[1] == prefix("sender@example.org", rcpt) + MESSAGE
    env = dict(line.split("=", 1) for line in
               read(os.path.join(inst.scratch, f"env.{user}")).decode().splitlines()
               if "=" in line)
    pw = pwd.getpwnam(user)
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
    spool = scratch_dir("postern-spool-")
    try:
        inst = local_instance(f"mail_spool_directory = {spool}\n")
        user = users(mail_users)[0]
        rcpt = f"{user}@postern.test"
        looped = (b"Received: from x\n"
                  b"delivered-to:   " + rcpt.upper().encode() + b"  \n"
                  b"Subject: loop\n\nbody\nDelivered-To: not-a-header@postern.test\n")
        folded = (b"Delivered-To:\n " + rcpt.encode() + b"\nSubject: folded\n\nbody\n")
        other = b"Delivered-To: someone-else@postern.test\nSubject: fine\n\nbody\n"
        for content, want in ((looped, "bounced"), (folded, "bounced"), (other, "sent")):
            qid = write_queue(inst, [rcpt], content=content)
            status = deliver(inst, qid, [rcpt])[0]
            if want == "bounced":
                assert status == ("bounced", "5.4.6", "local", f"mail forwarding loop for {rcpt}")
                inst.wait_for_log(rf"{qid}: to=<{rcpt}>, relay=local, .*dsn=5\.4\.6, "
                                  rf"status=bounced \(mail forwarding loop for {rcpt}\)")
                assert envelope(inst, qid) == {rcpt: True}
            else:
                assert status[0] == "sent"
        # A Delivered-To in the body is not a header: no loop.
        qid = write_queue(inst, ["x@postern.test"],
                          content=b"Subject: s\n\nDelivered-To: " + rcpt.encode() + b"\n")
        qid2 = write_queue(inst, [rcpt],
                           content=b"Subject: s\n\nDelivered-To: " + rcpt.encode() + b"\n")
        assert deliver(inst, qid2, [rcpt])[0][0] == "sent"
        del qid
    finally:
        shutil.rmtree(spool, ignore_errors=True)


def test_recipient_delimiter_and_case(local_instance, mail_users):
    spool = scratch_dir("postern-spool-")
    try:
        inst = local_instance(f"mail_spool_directory = {spool}\nrecipient_delimiter = +-\n")
        user = users(mail_users)[0]
        rcpts = [f"{user}+foo@postern.test", f"{user.upper()}-Bar@POSTERN.test",
                 f"{user}@postern.test"]
        qid = write_queue(inst, rcpts + ["nosuch+foo@postern.test", "+foo@postern.test"])
        got = deliver(inst, qid, rcpts + ["nosuch+foo@postern.test", "+foo@postern.test"])
        assert [g[:2] for g in got[:3]] == [("sent", "2.0.0")] * 3
        assert got[3] == ("bounced", "5.1.1", "local", 'unknown user: "nosuch+foo"')
        # An empty user part is not split off: the whole thing is the user.
        assert got[4] == ("bounced", "5.1.1", "local", 'unknown user: "+foo"')
        data = read(os.path.join(spool, user))
        assert data.count(b"\nDelivered-To: ") == 3
        assert b"\nDelivered-To: " + rcpts[1].encode() + b"\n" in data
    finally:
        shutil.rmtree(spool, ignore_errors=True)


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
