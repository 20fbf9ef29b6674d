# NAME
#	test_aliases.py - aliases, :include:, |command, /file and ~/.forward
# DESCRIPTION
#	A real instance (as root, with the test accounts) whose alias_maps is
#	a hash: table built with our postalias in the instance's directory.
#	Mail goes in by SMTP; the tests look at Maildirs, files written by
#	commands (and their owners), the log and the queue.
import os
import pwd
import smtplib
import stat
import subprocess

import pytest

from conftest import BIN, HOMES, IS_ROOT, maildir_messages, queue_files, wait_for

pytestmark = pytest.mark.skipif(not IS_ROOT, reason="needs root (deliveries as users)")

MAIN_CF = """home_mailbox = Maildir/
alias_maps = hash:$config_directory/aliases
alias_database = hash:$config_directory/aliases
recipient_delimiter = +
"""


def send(inst, rcpts, body="alias test"):
    msg = f"From: a@example.org\r\nSubject: {body}\r\n\r\n{body}\r\n"
    with smtplib.SMTP("127.0.0.1", inst.port, source_address=("127.0.0.2", 0), timeout=30) as c:
        c.sendmail("a@example.org", rcpts, msg)


def make(mta_instance, aliases, extra=""):
    inst = mta_instance(MAIN_CF + extra)
    with open(os.path.join(inst.etc, "aliases"), "w") as f:
        f.write(aliases)
    # newaliases = postalias $alias_database
    subprocess.run([os.path.join(BIN, "newaliases"), "-c", inst.etc], check=True)
    return inst


def count(user):
    return len(maildir_messages(user))


def test_lists_nesting_duplicates_and_include(mta_instance, mail_users):
    u = mail_users
    include = os.path.join(HOMES, "include.list")
    with open(include, "w") as f:
        f.write(f"# members\n{u[2]}\n")
    inst = make(mta_instance, f"list: {u[0]}, {u[1]}\n"
                              f"nested: list, {u[2]}, {u[1]}\n"
                              f"self: self, {u[0]}\n"
                              f"inc: :include:{include}\n")
    send(inst, ["nested@postern.test"])
    wait_for(lambda: count(u[0]) == 1 and count(u[1]) == 1 and count(u[2]) == 1,
             what="each member once")
    line = inst.wait_for_log(r"to=<nested@postern.test>, relay=local, .*status=sent").group(0)
    assert "dsn=2.0.0" in line
    send(inst, ["inc@postern.test"])
    wait_for(lambda: count(u[2]) == 2, what="member of the :include: file")
    # An alias that names itself: the name's own mailbox, not a loop.
    # "self" has no account: that member bounces, u0 still gets it.
    send(inst, ["self@postern.test"])
    wait_for(lambda: count(u[0]) == 2, what="self-referencing alias")
    inst.wait_for_log(r"to=<self@postern.test>, .*status=bounced \(unknown user: \"self\"\)")
    # Delivered-To: names the member.
    msg = maildir_messages(u[1])[0]
    assert f"Delivered-To: {u[1]}@postern.test".encode() in msg


def test_commands_and_files_with_default_privs(mta_instance, mail_users):
    out = os.path.join(HOMES, "alias-out")
    os.makedirs(out, exist_ok=True)
    os.chmod(out, 0o777)
    script = os.path.join(HOMES, "alias-cmd.sh")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\ncat > {out}/cmd.tmp && mv {out}/cmd.tmp {out}/cmd.out\n")
    os.chmod(script, 0o755)
    mbox = os.path.join(out, "file.mbox")
    for p in (f"{out}/cmd.out", mbox):
        if os.path.exists(p):
            os.unlink(p)
    inst = make(mta_instance, f'cmd: "|{script}"\nfile: {mbox}\n')
    send(inst, ["cmd@postern.test", "file@postern.test"])
    wait_for(lambda: os.path.exists(f"{out}/cmd.out") and os.path.exists(mbox),
             what="command output and mbox file")
    nobody = pwd.getpwnam("nobody").pw_uid
    assert os.stat(f"{out}/cmd.out").st_uid == nobody
    assert os.stat(mbox).st_uid == nobody
    assert open(mbox, "rb").read().startswith(b"From a@example.org ")
    inst.wait_for_log(r"to=<cmd@postern.test>, .*status=sent \(delivered to command: ")
    # allow_mail_to_commands without "alias": refused, bounced.
    inst2 = make(mta_instance, f'cmd: "|{script}"\n', "allow_mail_to_commands = forward\n")
    send(inst2, ["cmd@postern.test"])
    inst2.wait_for_log(r"to=<cmd@postern.test>, .*dsn=5\.7\.1, status=bounced "
                       r"\(mail to command is restricted\)")


def test_forward_elsewhere_and_missing_table(mta_instance, mail_users):
    u = mail_users
    inst = make(mta_instance, f"team: {u[0]}, friend@elsewhere.test\nowner-team: {u[2]}\n")
    send(inst, ["team@postern.test"])
    line = inst.wait_for_log(r"to=<team@postern.test>, .*status=sent \(forwarded as (\w+)\)")
    new_id = line.group(1)
    # owner-team exists: the forwarded copy's bounces go to the owner.
    inst.wait_for_log(rf"{new_id}: from=<owner-team@postern.test>,")
    wait_for(lambda: count(u[0]) == 1, what="local member")
    # The forwarded copy is a new message for the remote address (no
    # smtp in this instance: it waits in the queue).
    inst.wait_for_log(rf"{new_id}: to=<friend@elsewhere.test>, .*status=deferred")
    # No alias table at all: deferred, not bounced.
    inst2 = mta_instance(MAIN_CF)
    send(inst2, [f"{u[1]}@postern.test"])
    inst2.wait_for_log(rf"to=<{u[1]}@postern.test>, .*dsn=4\.3\.0, status=deferred "
                       r"\(alias database unavailable\)")


def test_dot_forward(mta_instance, mail_users):
    u = mail_users
    home = pwd.getpwnam(u[1]).pw_dir
    out = os.path.join(home, "forwarded.out")
    fwd = os.path.join(home, ".forward")
    with open(fwd, "w") as f:
        f.write(f'\\{u[1]}, {u[2]}, "|/bin/sh -c \'cat > {out}\'"\n')
    pw = pwd.getpwnam(u[1])
    os.chown(fwd, pw.pw_uid, pw.pw_gid)
    inst = make(mta_instance, "postmaster: root\n")
    send(inst, [f"{u[1]}@postern.test"])
    wait_for(lambda: count(u[1]) == 1 and count(u[2]) == 1 and os.path.exists(out),
             what=".forward destinations")
    # The command ran as the user, not as default_privs.
    assert os.stat(out).st_uid == pw.pw_uid
    assert stat.S_ISREG(os.stat(out).st_mode)
