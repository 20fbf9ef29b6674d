# NAME
#	test_access.py - smtpd restrictions and access tables on a real instance
# DESCRIPTION
#	The case files in t/fixtures/restrictions/*.cases (their format is
#	described in tutorial.cases) each configure one instance and list
#	SMTP dialogues with the reply wanted at RCPT TO, compared exactly.
#	The other tests cover what a single reply cannot show: the effect of
#	HOLD, DISCARD, REDIRECT and PREPEND on the queued message, the log
#	lines of warn_if_reject and WARN, DATA restrictions, a table that
#	cannot be read, and the DNS restrictions against a real dnsmasq.
import glob
import os
import shlex
import shutil
import subprocess

import pytest

from conftest import (BIN, FIXTURES, IS_ROOT, Dialog, Dnsmasq, postcat, queue_files,
                      wait_for)

CASES = sorted(glob.glob(os.path.join(FIXTURES, "restrictions", "*.cases")))


def read_cases(path):
    main, tables, cases = [], {}, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            kind, _, rest = line.partition(" ")
            if kind == "main":
                main.append(rest)
            elif kind == "table":
                name, key, value = rest.split(None, 2)
                tables.setdefault(name, []).append(f"{key} {value}")
            elif kind == "case":
                dialog, _, want = rest.partition(" => ")
                client, helo, sender, rcpt = dialog.split()
                cases.append((n, client, helo, sender, rcpt, want))
            else:
                raise ValueError(f"{path}, line {n}: unknown line kind {kind!r}")
    return main, tables, cases


def build_tables(inst, tables):
    for name, lines in tables.items():
        path = os.path.join(inst.etc, name)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run([os.path.join(BIN, "postmap"), "-c", inst.etc, f"hash:{path}"],
                       check=True)


def rcpt_reply(port, client, helo, sender, rcpt):
    d = Dialog(port, source=client)
    try:
        d.reply()
        d.cmd(f"EHLO {helo}")
        mail = d.cmd(f"MAIL FROM:<{'' if sender == '<>' else sender}>")
        if not mail[-1].startswith("250"):
            return mail[-1]
        return d.cmd(f"RCPT TO:<{rcpt}>")[-1]
    finally:
        d.close()


@pytest.mark.parametrize("path", CASES, ids=[os.path.basename(p) for p in CASES])
def test_case_file(smtpd_instance, path):
    main, tables, cases = read_cases(path)
    inst = smtpd_instance("\n".join(main) + "\n")
    build_tables(inst, tables)
    failures = []
    for n, client, helo, sender, rcpt, want in cases:
        got = rcpt_reply(inst.port, client, helo, sender, rcpt)
        if got != want:
            failures.append(f"line {n}: {sender} -> {rcpt} from {client}: "
                            f"wanted {want!r}, got {got!r}")
    assert not failures, "\n".join(failures)


def send(port, rcpts, sender="a@example.org", source="127.0.0.3", body="Hello.\r\n",
         helo="client.test"):
    """MAIL, RCPTs, DATA; the reply to the end of DATA (or the first failure)."""
    d = Dialog(port, source=source)
    try:
        d.reply()
        d.cmd(f"EHLO {helo}")
        d.cmd(f"MAIL FROM:<{sender}>")
        for r in rcpts:
            reply = d.cmd(f"RCPT TO:<{r}>")[-1]
            if not reply.startswith("250"):
                return reply
        reply = d.cmd("DATA")[-1]
        if not reply.startswith("354"):
            return reply
        d.send(f"Subject: access test\r\n\r\n{body}.\r\n")
        reply = d.reply()[-1]
        d.cmd("QUIT")
        return reply
    finally:
        d.close()


def test_actions_on_the_message(smtpd_instance):
    inst = smtpd_instance(
        "smtpd_recipient_restrictions = check_recipient_access hash:$config_directory/rcpt,"
        " reject_unauth_destination\n")
    build_tables(inst, {"rcpt": ["held@postern.test HOLD",
                                 "gone@postern.test DISCARD",
                                 "moved@postern.test REDIRECT other@postern.test",
                                 "tagged@postern.test PREPEND X-Tag: tagged by access",
                                 "watched@postern.test WARN watched recipient"]})
    # HOLD: accepted into hold/, not incoming/.
    assert send(inst.port, ["held@postern.test"]).startswith("250 2.0.0 Ok: queued as ")
    wait_for(lambda: queue_files(inst, "hold"), what="held message")
    inst.wait_for_log(r": hold: RCPT from \S+\[127\.0\.0\.3\]: <held@postern.test>: "
                      r"Recipient address triggers HOLD action; from=<a@example.org> "
                      r"to=<held@postern.test> proto=ESMTP helo=<client.test>")
    assert queue_files(inst) == []
    # DISCARD: a 250, and nothing anywhere.
    assert send(inst.port, ["gone@postern.test"]).startswith("250 2.0.0 Ok: queued as ")
    inst.wait_for_log(r": discard: RCPT from .*<gone@postern.test>: Recipient address "
                      r"triggers DISCARD action")
    assert queue_files(inst) == [] and len(queue_files(inst, "hold")) == 1
    # REDIRECT: the only recipient is the new address.
    assert send(inst.port, ["moved@postern.test", "u2@postern.test"]).startswith("250 ")
    wait_for(lambda: queue_files(inst), what="redirected message")
    out = postcat(inst, "-e", "-q", queue_files(inst)[0]).stdout
    assert "recipient: other@postern.test" in out and "u2@postern.test" not in out
    os.unlink(os.path.join(inst.queue, "incoming", queue_files(inst)[0]))
    # PREPEND: the header is in the message, before our Received:.
    assert send(inst.port, ["tagged@postern.test"]).startswith("250 ")
    wait_for(lambda: queue_files(inst), what="tagged message")
    out = postcat(inst, "-h", "-q", queue_files(inst)[0]).stdout
    assert out.index("X-Tag: tagged by access") < out.index("Received: ")
    # WARN: logged, accepted.
    assert send(inst.port, ["watched@postern.test"]).startswith("250 ")
    inst.wait_for_log(r": warn: RCPT from .*: watched recipient; from=<a@example.org> "
                      r"to=<watched@postern.test>")


def test_warn_if_reject_classes_and_helo(smtpd_instance):
    inst = smtpd_instance(
        "smtpd_restriction_classes = from_partners\n"
        "from_partners = check_sender_access hash:$config_directory/partners, reject\n"
        "smtpd_helo_restrictions = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname\n"
        "smtpd_recipient_restrictions = warn_if_reject reject_non_fqdn_sender,"
        " check_recipient_access hash:$config_directory/rcpt, reject_unauth_destination\n")
    build_tables(inst, {"partners": ["partner.test OK"],
                        "rcpt": ["partners-only@postern.test from_partners"]})
    # warn_if_reject: logged as reject_warning, accepted.
    assert rcpt_reply(inst.port, "127.0.0.3", "client.test", "bare", "u@postern.test") \
        == "250 2.1.5 Ok"
    inst.wait_for_log(r"NOQUEUE: reject_warning: RCPT from .*: 504 5\.5\.2 <bare>: Sender "
                      r"address rejected: need fully-qualified address; from=<bare>")
    # A restriction class named by a table.
    assert rcpt_reply(inst.port, "127.0.0.3", "client.test", "x@partner.test",
                      "partners-only@postern.test") == "250 2.1.5 Ok"
    assert rcpt_reply(inst.port, "127.0.0.3", "client.test", "x@other.test",
                      "partners-only@postern.test") == \
        "554 5.7.1 <partners-only@postern.test>: Recipient address rejected: Access denied"
    # HELO checks (delayed to RCPT).
    assert rcpt_reply(inst.port, "127.0.0.3", "bad_host!", "x@other.test", "u@postern.test") \
        == "501 5.5.2 <bad_host!>: Helo command rejected: Invalid name"
    assert rcpt_reply(inst.port, "127.0.0.3", "shortname", "x@other.test", "u@postern.test") \
        == "504 5.5.2 <shortname>: Helo command rejected: need fully-qualified hostname"
    assert rcpt_reply(inst.port, "127.0.0.3", "[127.0.0.3]", "x@other.test",
                      "u@postern.test") == "250 2.1.5 Ok"


def test_client_access_and_data_restrictions(smtpd_instance):
    inst = smtpd_instance(
        "smtpd_client_restrictions = check_client_access hash:$config_directory/clients\n"
        "smtpd_data_restrictions = reject_unauth_pipelining\n")
    build_tables(inst, {"clients": ["127.0.0.4 REJECT go away", "127.0.5 DEFER"]})
    got = rcpt_reply(inst.port, "127.0.0.4", "c.test", "a@b.test", "u@postern.test")
    assert got.startswith("554 5.7.1 <") and got.endswith("[127.0.0.4]>: Client host rejected: go away")
    got = rcpt_reply(inst.port, "127.0.5.9", "c.test", "a@b.test", "u@postern.test")
    assert got.startswith("450 4.7.1 <") and got.endswith("[127.0.5.9]>: Client host rejected: Access denied")
    # DATA with the message right behind it: improper pipelining.
    d = Dialog(inst.port, source="127.0.0.3")
    try:
        d.reply()
        d.cmd("EHLO c.test")
        d.cmd("MAIL FROM:<a@b.test>")
        d.cmd("RCPT TO:<u@postern.test>")
        d.send("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n")
        assert d.reply()[-1] == ("503 5.5.0 <DATA>: Data command rejected: "
                                 "Improper use of SMTP command pipelining")
    finally:
        d.close()
    inst.wait_for_log(r"\w+: reject: DATA from .*: 503 5\.5\.0 <DATA>: Data command rejected")


def test_unreadable_table_is_a_temporary_failure(smtpd_instance):
    inst = smtpd_instance("smtpd_recipient_restrictions = check_sender_access"
                          " hash:$config_directory/missing, reject_unauth_destination\n")
    assert rcpt_reply(inst.port, "127.0.0.3", "c.test", "a@b.test", "u@postern.test") == \
        "451 4.3.0 <a@b.test>: Temporary lookup failure"
    inst.wait_for_log(r"warning: hash:\S+/missing is unavailable")


RBL_DNS = "127.53.0.2"
RBL_CONF = """address=/3.0.0.127.rbl.test/127.0.0.2
address=/4.0.0.127.rbl.test/127.0.0.10
address=/spammer.test.rhsbl.test/127.0.0.2
host-record=known.test,127.0.1.50
mx-host=nullmx-sender.test,.,0
"""


@pytest.fixture(scope="module")
def rbl_dns():
    if not IS_ROOT or shutil.which("dnsmasq") is None:
        pytest.skip("needs root and dnsmasq")
    dns = Dnsmasq(RBL_DNS, RBL_CONF, "known.test")
    yield dns.resolv_conf
    dns.stop()


def test_dns_restrictions(instance_factory, rbl_dns):
    from conftest import SMTPD_MAIN_CF, free_port
    port = free_port()
    inst = instance_factory(
        main_extra=SMTPD_MAIN_CF +
        "smtpd_client_restrictions = reject_rbl_client rbl.test=127.0.0.2\n"
        "smtpd_sender_restrictions = reject_rhsbl_sender rhsbl.test,"
        " reject_unknown_sender_domain\n",
        master_cf=f"127.0.0.1:{port} inet n - n - - smtpd\n", resolv_conf=rbl_dns)
    inst.start()
    # Listed with the wanted result; listed with another; not listed.
    assert rcpt_reply(port, "127.0.0.3", "c.test", "a@known.test", "u@postern.test") == \
        "554 5.7.1 Service unavailable; Client host [127.0.0.3] blocked using rbl.test"
    inst.wait_for_log(r"NOQUEUE: reject: RCPT from \S+\[127\.0\.0\.3\]: 554 5\.7\.1 Service "
                      r"unavailable; Client host \[127\.0\.0\.3\] blocked using rbl\.test;")
    assert rcpt_reply(port, "127.0.0.4", "c.test", "a@known.test", "u@postern.test") == \
        "250 2.1.5 Ok"
    assert rcpt_reply(port, "127.0.0.5", "c.test", "a@spammer.test", "u@postern.test") == \
        "554 5.7.1 Service unavailable; Sender address [spammer.test] blocked using rhsbl.test"
    assert rcpt_reply(port, "127.0.0.5", "c.test", "a@nowhere.test", "u@postern.test") == \
        "450 4.1.8 <a@nowhere.test>: Sender address rejected: Domain not found"
    assert rcpt_reply(port, "127.0.0.5", "c.test", "a@nullmx-sender.test", "u@postern.test") \
        == ("550 5.7.27 <a@nullmx-sender.test>: Sender address rejected: Domain "
            "nullmx-sender.test does not accept mail (nullMX)")


def test_delay_reject_no(smtpd_instance):
    """smtpd_delay_reject = no: client restrictions at connect (the greeting
    is the reject, then every command but QUIT gets 503), HELO ones at
    HELO, sender ones at MAIL FROM."""
    inst = smtpd_instance(
        "smtpd_delay_reject = no\n"
        "smtpd_client_restrictions = check_client_access hash:$config_directory/clients\n"
        "smtpd_helo_restrictions = reject_non_fqdn_helo_hostname\n"
        "smtpd_sender_restrictions = check_sender_access hash:$config_directory/senders\n")
    build_tables(inst, {"clients": ["127.0.0.4 REJECT"], "senders": ["spam.test REJECT"]})
    d = Dialog(inst.port, source="127.0.0.4")
    try:
        greeting = d.reply()[-1]
        assert greeting.startswith("554 5.7.1 <") and \
            greeting.endswith("[127.0.0.4]>: Client host rejected: Access denied")
        assert d.cmd("EHLO c.test")[-1].startswith("503 5.7.0 Error: access denied for ")
        assert d.cmd("QUIT")[-1].startswith("221")
    finally:
        d.close()
    inst.wait_for_log(r"NOQUEUE: reject: CONNECT from \S+\[127\.0\.0\.4\]: 554 5\.7\.1 ")
    d = Dialog(inst.port, source="127.0.0.3")
    try:
        assert d.reply()[-1].startswith("220 ")
        assert d.cmd("HELO shortname")[-1] == \
            "504 5.5.2 <shortname>: Helo command rejected: need fully-qualified hostname"
        assert d.cmd("HELO c.test")[-1].startswith("250")
        assert d.cmd("MAIL FROM:<a@spam.test>")[-1] == \
            "554 5.7.1 <a@spam.test>: Sender address rejected: Access denied"
        assert d.cmd("MAIL FROM:<a@ok.test>")[-1] == "250 2.1.0 Ok"
    finally:
        d.close()
    inst.wait_for_log(r"NOQUEUE: reject: MAIL from .*: 554 5\.7\.1 <a@spam\.test>: Sender "
                      r"address rejected: Access denied; from=<a@spam\.test> proto=SMTP "
                      r"helo=<c\.test>")
