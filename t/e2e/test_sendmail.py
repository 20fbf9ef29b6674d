# NAME
#	test_sendmail.py - local submission: sendmail, maildrop/, pickup
# DESCRIPTION
#	Real instances with smtpd, qmgr, local and pickup; mail submitted
#	with build/bin/sendmail (and s-nail configured to use it) and
#	delivered to the Maildirs of conftest's test users (as root).
import email
import email.policy
import os
import shutil
import subprocess
import time

import pytest

from conftest import BIN, IS_ROOT, maildir_messages, wait_for

needs_root = pytest.mark.skipif(not IS_ROOT, reason="delivery to other users needs root")

SENDMAIL = os.path.join(BIN, "sendmail")
PICKUP = "pickup unix n - n 60 1 pickup\n"


def sendmail(inst, args, data, check=True):
    proc = subprocess.run([SENDMAIL, "-C", inst.etc] + list(args), input=data,
                          capture_output=True, timeout=30)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def one_message(user, subject):
    """The one message with this subject (other tests share the mailboxes)."""
    def mine():
        return [m for m in map(parse, maildir_messages(user)) if m["Subject"] == subject]
    msgs = wait_for(mine, what=f"delivery to {user}")
    assert len(msgs) == 1
    return msgs[0]


def unique(subject):
    return f"{subject} {os.getpid()}.{time.monotonic_ns()}"


@needs_root
def test_t_to_cc_bcc(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    a, b, c = mail_users
    subject = unique("extracted")
    data = (f"To: {a}@postern.test\nCc: Somebody <{b}@postern.test>\n"
            f"Bcc: {c}\nSubject: {subject}\n\nbody\n").encode()
    sendmail(inst, ["-t", "-i"], data)
    for user in (a, b, c):
        m = one_message(user, subject)
        assert m["Bcc"] is None
        assert m.get_payload() == "body\n"
    inst.wait_for_log(r"[0-9A-Za-z]+: uid=0 from=<root@postern\.test>")


@needs_root
def test_arguments_f_F_and_completed_headers(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    user = mail_users[0]
    subject = unique("args")
    sendmail(inst, ["-f", "alice@example.org", "-F", "Alice Example", "-oi", "-oem",
                    user], f"Subject: {subject}\n\nhello\n.\nafter the dot\n".encode())
    m = one_message(user, subject)
    assert m["Return-Path"] == "<alice@example.org>"
    assert m["From"] == '"Alice Example" <alice@example.org>'
    assert m["Date"]
    assert m["Message-ID"].endswith("@postern.test>")
    assert m["Received"].startswith("by postern.test (Postern, from userid 0)")
    assert "after the dot" in m.get_payload()


@needs_root
def test_dot_ends_without_i_and_unqualified_sender(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    user = mail_users[0]
    subject = unique("dot")
    sendmail(inst, [user], f"From: me@example.org\nSubject: {subject}\n\nbefore\n.\nafter\n".encode())
    m = one_message(user, subject)
    assert m["Return-Path"] == "<root@postern.test>"
    assert m["From"] == "me@example.org"
    assert m.get_payload() == "before\n"


@needs_root
def test_s_nail(mta_instance, mail_users):
    if shutil.which("s-nail") is None:
        pytest.skip("s-nail is not installed")
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    user = mail_users[1]
    subject = unique("from s-nail")
    env = dict(os.environ, MAIL_CONFIG=inst.etc, HOME="/tmp")
    proc = subprocess.run(["s-nail", "-:/", "-S", f"sendmail={SENDMAIL}",
                           "-s", subject, user],
                          input=b"sent with s-nail\n", env=env,
                          capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    m = one_message(user, subject)
    assert "sent with s-nail" in m.get_payload()


@needs_root
def test_submission_while_stopped(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    user = mail_users[2]
    inst.stop()
    subject = unique("later")
    sendmail(inst, [user], f"Subject: {subject}\n\nwaited\n".encode())
    assert len(os.listdir(os.path.join(inst.queue, "maildrop"))) == 1
    inst.start()
    one_message(user, subject)
    assert os.listdir(os.path.join(inst.queue, "maildrop")) == []


@needs_root
def test_garbage_in_maildrop(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    user = mail_users[0]
    maildrop = os.path.join(inst.queue, "maildrop")
    with open(os.path.join(maildrop, "4Xgarbage1"), "wb") as f:
        f.write(b"this is not a queue file\n")
    os.chmod(os.path.join(maildrop, "4Xgarbage1"), 0o644)
    os.mkdir(os.path.join(maildrop, "4Xgarbage2"))
    subject = unique("after garbage")
    sendmail(inst, [user], f"Subject: {subject}\n\nok\n".encode())
    one_message(user, subject)
    inst.wait_for_log(r"warning: maildrop/4Xgarbage1: .* -- removed")
    inst.wait_for_log(r"warning: maildrop/4Xgarbage2: not a regular file -- removed")
    wait_for(lambda: os.listdir(maildrop) == [], what="empty maildrop")


@needs_root
def test_ordinary_user_cannot_touch_queue(mta_instance):
    inst = mta_instance("", PICKUP)

    def as_nobody(*cmd):
        return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup",
                               "--clear-groups"] + list(cmd), capture_output=True)
    assert as_nobody("touch", os.path.join(inst.queue, "incoming", "x")).returncode != 0
    assert as_nobody("ls", os.path.join(inst.queue, "maildrop")).returncode != 0


def test_options(mta_instance):
    inst = mta_instance("", PICKUP + "showq unix n - n - - showq\n")
    proc = sendmail(inst, ["-Z"], b"", check=False)
    assert proc.returncode != 0 and b"unknown option -Z" in proc.stderr
    proc = sendmail(inst, [], b"Subject: x\n\n", check=False)
    assert proc.returncode != 0 and b"no recipient" in proc.stderr
    assert sendmail(inst, ["-q"], b"").returncode == 0
    proc = sendmail(inst, ["-bp"], b"")
    assert b"Mail queue is empty" in proc.stdout


POSTDROP = os.path.join(BIN, "postdrop")


@needs_root
def test_postdrop_format(mta_instance, mail_users):
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    user = mail_users[1]
    subject = unique("postdrop")
    data = (f"Sbob@example.org\nFBob Builder\nR{user}\n\n"
            f"Subject: {subject}\n\nvia postdrop\n").encode()
    proc = subprocess.run([POSTDROP, "-c", inst.etc], input=data,
                          capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    m = one_message(user, subject)
    assert m["From"] == '"Bob Builder" <bob@example.org>'
    assert m["Return-Path"] == "<bob@example.org>"


@pytest.mark.parametrize("data, why", [
    (b"Sa@b\n\nno recipients\n", b"envelope without recipients"),
    (b"Ru@x\n\nno sender\n", b"envelope without sender"),
    (b"Sa@b\nRu@x\nXjunk\n\n", b"unexpected envelope line type 'X'"),
    (b"Sa@b\nRu@x\n", b"no end of the envelope"),
    (b"Sa@b\nRu\r@x\n\n", b"malformed envelope line"),
    (b"Sa@b\nR\n\n", b"unexpected envelope line type 'R'"),
])
def test_postdrop_rejects(mta_instance, data, why):
    inst = mta_instance("", PICKUP)
    proc = subprocess.run([POSTDROP, "-c", inst.etc], input=data,
                          capture_output=True, timeout=30)
    assert proc.returncode == 65 and why in proc.stderr, proc.stderr
    assert os.listdir(os.path.join(inst.queue, "maildrop")) == []


@needs_root
def test_ordinary_user_goes_through_postdrop(mta_instance):
    """nobody may not write maildrop/: sendmail runs postdrop, which (not
    setgid here, and a -c configuration would drop it anyway) fails
    clearly; nothing is queued."""
    inst = mta_instance("", PICKUP)
    proc = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           SENDMAIL, "-C", inst.etc, "root"], input=b"Subject: x\n\n",
                          capture_output=True, timeout=30)
    assert proc.returncode == 75, proc.stderr
    assert b"postdrop: fatal: cannot write the message to" in proc.stderr
    assert b"Permission denied" in proc.stderr
    assert b"sendmail: warning: postdrop failed: the message was not queued" in proc.stderr
    assert b"sendmail: fatal: the message was not queued" in proc.stderr


@needs_root
def test_bs_smtp_on_stdin(mta_instance, mail_users):
    """sendmail -bs: an SMTP dialogue over a pipe; the message goes the
    maildrop way and is delivered; errors get SMTP replies."""
    u = mail_users
    inst = mta_instance("home_mailbox = Maildir/\n", PICKUP)
    subject = unique("bs")
    dialogue = (f"EHLO client.example\r\nMAIL FROM:<{u[0]}@postern.test>\r\n"
                f"RCPT TO:<{u[1]}@postern.test>\r\nRCPT TO:<bad address>\r\nDATA\r\n"
                f"Subject: {subject}\r\n\r\n..dot-stuffed\r\nbody\r\n.\r\n"
                "DATA\r\nBOGUS\r\nRSET extra\r\n" + "X" * 3000 + "\r\nQUIT\r\n").encode()
    proc = sendmail(inst, ["-bs"], dialogue)
    codes = [line[:3] for line in proc.stdout.decode().split("\r\n")
             if len(line) >= 4 and line[3] == " "]
    assert codes == ["220", "250", "250", "250", "501", "354", "250", "503", "502", "501",
                     "500", "221"], proc.stdout
    msg = one_message(u[1], subject)
    assert msg.get_payload() == ".dot-stuffed\nbody\n"
    # Input that ends in the middle of DATA queues nothing.
    proc = sendmail(inst, ["-bs"], b"HELO x\r\nMAIL FROM:<a@b.test>\r\n"
                    b"RCPT TO:<root@postern.test>\r\nDATA\r\nSubject: cut\r\n")
    assert b"354 " in proc.stdout and b"nothing queued" in proc.stderr


POSTERN_DEFAULT_ETC = "/usr/local/etc/postern"


@needs_root
def test_ordinary_user_submits_through_setgid_postdrop(mta_instance, mail_users):
    """The real thing: postdrop installed setgid postdrop, the instance
    allowed by alternate_config_directories of the default main.cf, and
    an ordinary user (nobody) whose mail is delivered, owned by nobody
    in maildrop/ on the way."""
    if os.environ.get("POSTERN_SANITIZER_LOGS"):
        # A setgid process is not dumpable: LeakSanitizer cannot inspect
        # it and aborts ("LeakSanitizer has encountered a fatal error").
        pytest.skip("LeakSanitizer cannot run in a setgid process")
    default_cf = os.path.join(POSTERN_DEFAULT_ETC, "main.cf")
    if os.path.exists(default_cf):
        pytest.skip(f"{default_cf} exists: an installed Postern's, not the test's to change")
    u = mail_users
    # The instance's own directory: nobody can reach it.
    inst = mta_instance("home_mailbox = Maildir/\n"
                        "command_directory = $config_directory/../cmd\n", PICKUP)
    cmd_dir = os.path.join(inst.root, "cmd")
    os.mkdir(cmd_dir)
    postdrop = os.path.join(cmd_dir, "postdrop")
    shutil.copy(os.path.join(BIN, "postdrop"), postdrop)
    shutil.chown(postdrop, group="postdrop")
    os.chmod(postdrop, 0o2755)
    made_dir = not os.path.isdir(POSTERN_DEFAULT_ETC)
    os.makedirs(POSTERN_DEFAULT_ETC, exist_ok=True)
    try:
        # Not allowed yet: postdrop gives up its group and fails.
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                     SENDMAIL, "-C", inst.etc, f"{u[0]}@postern.test"]
        proc = subprocess.run(as_nobody, input=b"Subject: refused\n\nx\n",
                              capture_output=True, timeout=30)
        assert proc.returncode != 0
        with open(default_cf, "w") as f:
            f.write(f"alternate_config_directories = {inst.etc}\n")
        subject = unique("setgid postdrop")
        proc = subprocess.run(as_nobody, input=f"Subject: {subject}\n\nhello\n".encode(),
                              capture_output=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        msg = one_message(u[0], subject)
        assert "from userid 65534" in msg["Received"]
        assert "<nobody@" in msg["From"]
        # The user still cannot write the queue directly.
        probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup",
                                "--clear-groups", "sh", "-c",
                                f"echo x > {inst.queue}/maildrop/forged"],
                               capture_output=True)
        assert probe.returncode != 0
    finally:
        os.unlink(default_cf) if os.path.exists(default_cf) else None
        if made_dir:
            os.rmdir(POSTERN_DEFAULT_ETC)


def test_message_size_limit(mta_instance):
    """sendmail and postdrop hold the message in memory: never more than
    message_size_limit; over it, nothing is queued."""
    inst = mta_instance("message_size_limit = 10000\n", PICKUP)
    big = b"Subject: big\n\n" + (b"x" * 99 + b"\n") * 200
    proc = sendmail(inst, ["root"], big, check=False)
    assert proc.returncode == 65
    assert b"message too large: more than message_size_limit (10000 bytes)" in proc.stderr
    assert os.listdir(os.path.join(inst.queue, "maildrop")) == []
    # One long line, no newline at all: read in pieces, refused the same way.
    proc = sendmail(inst, ["root"], b"x" * 50000, check=False)
    assert proc.returncode == 65
    assert sendmail(inst, ["root"], b"Subject: small\n\n" + b"y" * 5000).returncode == 0
