# NAME
#	test_rewrite.py - envelope address rewriting on a real instance
# DESCRIPTION
#	canonical_maps (hash: tables built with our postmap), masquerading,
#	virtual_alias_maps fan-out to local users and virtual_alias_domains,
#	checked in the queue file (postcat), the log and the Maildirs.
import os
import smtplib
import subprocess

import pytest

from conftest import BIN, IS_ROOT, maildir_messages, postcat, queue_files, wait_for


def build(inst, name, lines):
    path = os.path.join(inst.etc, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([os.path.join(BIN, "postmap"), "-c", inst.etc, f"hash:{path}"], check=True)


def send(inst, sender, rcpts):
    with smtplib.SMTP("127.0.0.1", inst.port, source_address=("127.0.0.2", 0), timeout=30) as c:
        c.sendmail(sender, rcpts, f"From: {sender}\r\nSubject: rewrite\r\n\r\nbody\r\n")


def envelope(inst):
    wait_for(lambda: queue_files(inst), what="a queued message")
    return postcat(inst, "-e", "-q", queue_files(inst)[0]).stdout


def test_canonical_and_masquerade(smtpd_instance):
    inst = smtpd_instance(
        "canonical_maps = hash:$config_directory/canonical\n"
        "sender_canonical_maps = hash:$config_directory/sender_canonical\n"
        "masquerade_domains = example.com\n"
        "masquerade_exceptions = root\n")
    build(inst, "canonical", ["joe@postern.test joseph.smith@example.com",
                              "@old.example @new.example"])
    build(inst, "sender_canonical", ["bob@host.example.com robert@mail.example.com"])
    # Sender: sender_canonical, then masquerading; recipients: canonical.
    send(inst, "bob@host.example.com", ["joe@postern.test", "ann@old.example"])
    out = envelope(inst)
    assert "sender: robert@example.com" in out
    assert "recipient: joseph.smith@example.com" in out
    assert "recipient: ann@new.example" in out
    for name in queue_files(inst):
        os.unlink(os.path.join(inst.queue, "incoming", name))
    # masquerade_exceptions: root keeps its host name.
    send(inst, "root@host.example.com", ["joe@postern.test"])
    assert "sender: root@host.example.com" in envelope(inst)


def test_table_error_is_temporary(smtpd_instance):
    inst = smtpd_instance("canonical_maps = hash:$config_directory/missing\n")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as e:
        send(inst, "a@example.org", ["joe@postern.test"])
    assert e.value.recipients["joe@postern.test"] == (
        451, b"4.3.0 <joe@postern.test>: Temporary lookup failure")
    assert queue_files(inst) == []


@pytest.mark.skipif(not IS_ROOT, reason="needs root (delivery to test users)")
def test_virtual_alias_fan_out(mta_instance, mail_users):
    u = mail_users
    inst = mta_instance("home_mailbox = Maildir/\n"
                        "virtual_alias_domains = virtual.test\n"
                        "virtual_alias_maps = hash:$config_directory/virtual\n")
    build(inst, "virtual", [f"team@virtual.test {u[0]}@postern.test, {u[1]}@postern.test",
                            f"boss@virtual.test {u[2]}@postern.test"])
    send(inst, "a@example.org", ["team@virtual.test"])
    wait_for(lambda: maildir_messages(u[0]) and maildir_messages(u[1]),
             what="both members got the message")
    line = inst.wait_for_log(rf"to=<{u[0]}@postern.test>, orig_to=<team@virtual.test>, "
                             r"relay=local, .*status=sent").group(0)
    assert "dsn=2.0.0" in line
    # An address of a virtual alias domain without an entry: 550 at RCPT.
    with smtplib.SMTP("127.0.0.1", inst.port, source_address=("127.0.0.2", 0), timeout=30) as c:
        c.ehlo("client.test")
        c.mail("a@example.org")
        code, text = c.rcpt("nobody@virtual.test")
    assert (code, text.decode()) == (550, "5.1.1 <nobody@virtual.test>: Recipient address "
                                          "rejected: User unknown in virtual alias table")


def test_header_rewriting_local_clients_only(smtpd_instance):
    inst = smtpd_instance(
        "canonical_maps = hash:$config_directory/canonical\n"
        "masquerade_domains = example.com\n"
        "mynetworks = 127.0.0.0/8\n")
    build(inst, "canonical", ["joe@postern.test joseph.smith@example.com"])
    body = ("From: Bob <bob@host.example.com>\r\n"
            "To: joe@postern.test (Joe),\r\n\tFriends: x@host.example.com, \"a, b\" <y@other.test>;\r\n"
            "Subject: joe@postern.test stays\r\n\r\nFrom: body@host.example.com stays\r\n")

    def headers_from(source):
        with smtplib.SMTP("127.0.0.1", inst.port, source_address=(source, 0), timeout=30) as c:
            c.sendmail("bob@host.example.com", ["joe@postern.test"], body)
        wait_for(lambda: queue_files(inst), what="a queued message")
        name = queue_files(inst)[0]
        out = postcat(inst, "-h", "-b", "-q", name).stdout
        os.unlink(os.path.join(inst.queue, "incoming", name))
        return out

    # A client on this host's own address: rewritten like local mail.
    out = headers_from("127.0.0.1")
    assert "From: Bob <bob@example.com>" in out
    # header_recipient is in masquerade_classes by default, too.
    assert ("To: joseph.smith@example.com (Joe),\n\tFriends: x@example.com, "
            "\"a, b\" <y@other.test>;") in out
    assert "Subject: joe@postern.test stays" in out
    assert "From: body@host.example.com stays" in out
    # Any other client: headers as sent (remote_header_rewrite_domain is empty).
    out = headers_from("127.0.0.2")
    assert "From: Bob <bob@host.example.com>" in out
    assert "To: joe@postern.test (Joe)," in out
