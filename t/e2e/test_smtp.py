# NAME
#	test_smtp.py - the smtp client and the error agent, against real peers
# DESCRIPTION
#	A dnsmasq on 127.53.0.1:53 serves the test domains (MX, A, null MX,
#	CNAME; everything else under .test is NXDOMAIN). The instance sees
#	only that name server: it runs in a private mount namespace with its
#	own /etc/resolv.conf (Instance(resolv_conf=...)). The peers listen on
#	127.0.1.x port 25: aiosmtpd servers scripted per recipient, a raw
#	socket server that stalls, Postfix's smtp-sink, and a real Postfix.
#	Needs root (port 25 and 53, unshare --mount).
import asyncio
import os
import shutil
import smtplib
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import (BIN, IS_ROOT, Dnsmasq, free_port, mail_users, maildir_messages,  # noqa: F401
                      postcat, queue_files, wait_for, wait_for_port)

pytestmark = pytest.mark.skipif(not IS_ROOT or shutil.which("dnsmasq") is None,
                                reason="needs root and dnsmasq")

DNS = "127.53.0.1"
REFUSED = "127.0.1.1"       # nothing listens here
SINK = "127.0.1.2"          # aiosmtpd, everything 250
IMPLICIT = "127.0.1.3"      # aiosmtpd, A record of implicit.test
SCRIPTED = "127.0.1.4"      # aiosmtpd, replies by local part
STALL = "127.0.1.5"         # stalls during DATA
LOOPER = "127.0.1.6"        # greets with our own myhostname
SMTP_SINK = "127.0.1.7"     # Postfix smtp-sink (relayhost, port 2525)
POSTFIX_PEER = "127.0.1.8"  # a real Postfix instance
BUSY = "127.0.1.9"          # aiosmtpd, 4xx to MAIL FROM
SMALL = "127.0.1.10"        # aiosmtpd with SIZE 1000
GRUMPY = "127.0.1.11"       # greets with 421
MYHOSTNAME = "postern.test"

DNSMASQ_CONF = f"""
mx-host=mx-order.test,mx1.mx-order.test,10
mx-host=mx-order.test,mx2.mx-order.test,20
host-record=mx1.mx-order.test,{REFUSED}
host-record=mx2.mx-order.test,{SINK}
host-record=implicit.test,{IMPLICIT}
cname=alias.test,implicit.test
dns-rr=nullmx.test,15,000000
mx-host=scripted.test,mx.scripted.test,10
host-record=mx.scripted.test,{SCRIPTED}
mx-host=stall.test,mx.stall.test,10
host-record=mx.stall.test,{STALL}
mx-host=loopmx.test,self.loopmx.test,10
host-record=self.loopmx.test,127.0.0.1
mx-host=loopehlo.test,mx.loopehlo.test,10
host-record=mx.loopehlo.test,{LOOPER}
mx-host=postfix.test,mx.postfix.test,10
mx-host=busy.test,mx1.busy.test,10
mx-host=busy.test,mx2.busy.test,20
host-record=mx1.busy.test,{BUSY}
host-record=mx2.busy.test,{SINK}
host-record=small.test,{SMALL}
mx-host=grumpy.test,mx1.grumpy.test,10
mx-host=grumpy.test,mx2.grumpy.test,20
host-record=mx1.grumpy.test,{GRUMPY}
host-record=mx2.grumpy.test,{SINK}
mx-host=grumpyonly.test,mx1.grumpy.test,10
host-record=mx.postfix.test,{POSTFIX_PEER}
"""


@pytest.fixture(scope="module")
def resolv_conf():
    """dnsmasq for the test domains; the resolv.conf that points at it."""
    dns = Dnsmasq(DNS, DNSMASQ_CONF, "implicit.test")
    yield dns.resolv_conf
    dns.stop()


class Peer:
    """An aiosmtpd server on ADDR:25. Replies to RCPT by the local part's
    prefix (rules: prefix -> reply); records every message."""

    def __init__(self, addr, hostname="peer.test", port=25, mail_reply=None, size=None):
        from aiosmtpd.controller import Controller
        self.messages = []
        self.rules = {}
        self.mail_reply = mail_reply
        kwargs = {"data_size_limit": size} if size else {}
        self.controller = Controller(self, hostname=addr, port=port,
                                     server_hostname=hostname, **kwargs)
        self.controller.start()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        for prefix, reply in self.rules.items():
            if local.startswith(prefix):
                return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return f"250 2.0.0 Ok: queued as PEER{len(self.messages)}"

    def stop(self):
        self.controller.stop()


@pytest.fixture
def peers():
    made = []

    def make(addr, **kw):
        p = Peer(addr, **kw)
        made.append(p)
        return p
    yield make
    for p in made:
        p.stop()


SMTP_MAIN_CF = f"""myhostname = {MYHOSTNAME}
mydestination = $myhostname, localhost
smtp_connect_timeout = 5s
"""


@pytest.fixture
def smtp_mta(mta_instance, resolv_conf):
    def make(main_extra=""):
        return mta_instance(SMTP_MAIN_CF + main_extra, smtp=True, resolv_conf=resolv_conf)
    return make


def send(inst, rcpts, sender="sender@example.org", body="Hello.\r\n"):
    msg = f"From: {sender}\r\nTo: {rcpts[0]}\r\nSubject: smtp test\r\n\r\n{body}"
    with smtplib.SMTP("127.0.0.1", inst.port, source_address=("127.0.0.2", 0), timeout=30) as s:
        s.sendmail(sender, rcpts, msg)


def line_for(inst, rcpt, status, timeout=30):
    m = inst.wait_for_log(rf"to=<{rcpt}>, .*status={status} .*", timeout)
    return m.group(0)


def test_mx_order_and_fallback(smtp_mta, peers):
    sink = peers(SINK)
    inst = smtp_mta()
    send(inst, ["a@mx-order.test"], body="line one\r\n.leading dot\r\n")
    line = line_for(inst, "a@mx-order.test", "sent")
    # mx1 (preference 10) refuses connections; mx2 (20) takes the mail.
    assert f"relay=mx2.mx-order.test[{SINK}]:25" in line
    assert "dsn=2.0.0" in line and "(250 2.0.0 Ok: queued as PEER1)" in line
    assert sink.messages[0][1] == ["a@mx-order.test"]
    # Dot-stuffed on the wire, unstuffed by the peer: the line is intact.
    assert b"\r\nline one\r\n.leading dot\r\n" in sink.messages[0][2]
    assert "delays=" in line


def test_4xx_to_mail_moves_to_next_mx(smtp_mta, peers):
    peers(BUSY, mail_reply="452 4.3.1 Insufficient system storage")
    sink = peers(SINK)
    inst = smtp_mta()
    send(inst, ["m@busy.test"])
    assert f"relay=mx2.busy.test[{SINK}]:25" in line_for(inst, "m@busy.test", "sent")
    assert sink.messages[0][1] == ["m@busy.test"]


class GreetingPeer:
    """Greets every connection with one reply and hangs up."""

    def __init__(self, addr, greeting):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, 25))
        self.sock.listen(5)
        self.greeting = greeting
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.sendall(self.greeting)
            conn.close()

    def stop(self):
        self.sock.close()


def test_421_greeting_moves_to_next_mx(smtp_mta, peers):
    grumpy = GreetingPeer(GRUMPY, b"421 4.3.2 Service shutting down\r\n")
    try:
        sink = peers(SINK)
        inst = smtp_mta("minimal_backoff_time = 300s\nmaximal_backoff_time = 600s\n")
        send(inst, ["q@grumpy.test", "r@grumpyonly.test"])
        assert f"relay=mx2.grumpy.test[{SINK}]:25" in line_for(inst, "q@grumpy.test", "sent")
        assert sink.messages[0][1] == ["q@grumpy.test"]
        line = line_for(inst, "r@grumpyonly.test", "deferred")
        assert "dsn=4.3.2" in line and f"relay=mx1.grumpy.test[{GRUMPY}]:25" in line
        assert (f"(host mx1.grumpy.test[{GRUMPY}] refused to talk to me: "
                "421 4.3.2 Service shutting down)") in line
    finally:
        grumpy.stop()


def test_size_limit_of_server_bounces(smtp_mta, peers):
    peer = peers(SMALL, size=1000)
    inst = smtp_mta()
    send(inst, ["n@small.test"], body="y" * 2000 + "\r\n")
    line = line_for(inst, "n@small.test", "bounced")
    assert "dsn=5.3.4" in line
    assert f"exceeds size limit 1000 of server small.test[{SMALL}])" in line
    assert peer.messages == []


def test_native_lookup_and_no_dns(smtp_mta, peers):
    sink = peers(IMPLICIT)
    inst = smtp_mta("smtp_host_lookup = native\n")
    send(inst, ["o@implicit.test"])
    assert f"relay=implicit.test[{IMPLICIT}]:25" in line_for(inst, "o@implicit.test", "sent")
    assert len(sink.messages) == 1
    # No MX lookups: mx-order.test has MX records but no address of its own.
    inst = smtp_mta("disable_dns_lookups = yes\n")
    send(inst, ["p@mx-order.test"])
    line = line_for(inst, "p@mx-order.test", "bounced")
    assert "dsn=5.4.4" in line and "(unable to look up host mx-order.test: " in line


def test_implicit_mx_and_cname(smtp_mta, peers):
    sink = peers(IMPLICIT)
    inst = smtp_mta()
    send(inst, ["b@implicit.test"])
    assert f"relay=implicit.test[{IMPLICIT}]:25" in line_for(inst, "b@implicit.test", "sent")
    send(inst, ["c@alias.test"])
    assert f"[{IMPLICIT}]:25" in line_for(inst, "c@alias.test", "sent")
    assert len(sink.messages) == 2


def test_null_mx_and_nxdomain_bounce(smtp_mta):
    inst = smtp_mta()
    send(inst, ["d@nullmx.test", "e@nx.test"])
    line = line_for(inst, "d@nullmx.test", "bounced")
    assert "relay=none" in line and "dsn=5.1.0" in line
    assert "(Domain nullmx.test does not accept mail (nullMX))" in line
    line = line_for(inst, "e@nx.test", "bounced")
    assert "dsn=5.4.4" in line
    assert ("(Host or domain name not found. Name service error for name=nx.test "
            "type=MX: Host not found)") in line


def test_relayhost_no_mx_lookup(smtp_mta):
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="postern-sink-")
    os.chmod(tmp, 0o777)        # smtp-sink writes as nobody
    proc = subprocess.Popen(["/usr/sbin/smtp-sink", "-u", "nobody", "-D",
                             os.path.join(tmp, "dump"), f"{SMTP_SINK}:{port}", "10"])
    try:
        wait_for_port(port, SMTP_SINK)
        inst = smtp_mta(f"relayhost = [{SMTP_SINK}]:{port}\n")
        # nx.test does not exist: the relayhost takes it all the same.
        send(inst, ["f@nx.test", "g@nx.test"])
        line = line_for(inst, "f@nx.test", "sent")
        assert f"relay={SMTP_SINK}[{SMTP_SINK}]:{port}" in line
        line_for(inst, "g@nx.test", "sent")
        text = ""
        for name in os.listdir(tmp):
            with open(os.path.join(tmp, name), errors="replace") as f:
                text += f.read()
        assert "f@nx.test" in text and "g@nx.test" in text and "Hello." in text
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def test_4xx_then_success_after_flush(smtp_mta, peers):
    peer = peers(SCRIPTED)
    peer.rules["h"] = "451 4.3.0 Try again later"
    inst = smtp_mta("minimal_backoff_time = 300s\nmaximal_backoff_time = 600s\n")
    send(inst, ["h@scripted.test"])
    line = line_for(inst, "h@scripted.test", "deferred")
    assert (f"(host mx.scripted.test[{SCRIPTED}] said: 451 4.3.0 Try again later "
            "(in reply to RCPT TO command))") in line
    assert f"relay=mx.scripted.test[{SCRIPTED}]:25" in line and "dsn=4.3.0" in line
    wait_for(lambda: queue_files(inst, "deferred"), 10, what="deferred queue file")
    peer.rules.clear()
    subprocess.run([os.path.join(BIN, "postqueue"), "-c", inst.etc, "-f"], check=True)
    line_for(inst, "h@scripted.test", "sent")
    assert peer.messages and peer.messages[0][1] == ["h@scripted.test"]


def test_5xx_bounce_to_sender_maildir(smtp_mta, peers, mail_users):
    peer = peers(SCRIPTED)
    peer.rules["nouser"] = "550 5.1.1 <nouser@scripted.test>: Recipient address rejected: User unknown"
    inst = smtp_mta("home_mailbox = Maildir/\n")
    sender = f"{mail_users[0]}@{MYHOSTNAME}"
    send(inst, ["nouser@scripted.test"], sender=sender)
    line = line_for(inst, "nouser@scripted.test", "bounced")
    assert (f"(host mx.scripted.test[{SCRIPTED}] said: 550 5.1.1 <nouser@scripted.test>: "
            "Recipient address rejected: User unknown (in reply to RCPT TO command))") in line
    assert "dsn=5.1.1" in line
    msgs = wait_for(lambda: maildir_messages(mail_users[0]), 30, what="bounce in Maildir")
    assert b"nouser@scripted.test" in msgs[0]
    assert b"User unknown" in msgs[0]


def test_mixed_results_one_message(smtp_mta, peers):
    peer = peers(SCRIPTED)
    peer.rules["bad"] = "550 5.1.1 No such user"
    peer.rules["later"] = "451 4.2.0 Mailbox busy"
    inst = smtp_mta()
    send(inst, ["ok@scripted.test", "bad@scripted.test", "later@scripted.test"])
    assert "(250 2.0.0 Ok: queued as PEER1)" in line_for(inst, "ok@scripted.test", "sent")
    assert "dsn=5.1.1" in line_for(inst, "bad@scripted.test", "bounced")
    line = line_for(inst, "later@scripted.test", "deferred")
    assert "dsn=4.2.0" in line and "451 4.2.0 Mailbox busy (in reply to RCPT TO command)" in line
    assert peer.messages[0][1] == ["ok@scripted.test"]


class StallPeer:
    """Answers up to DATA's 354, reads a little of the message, then stops
    reading and never answers."""

    def __init__(self, addr):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.bind((addr, 25))
        self.sock.listen(5)
        self.conns = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            f = conn.makefile("rb")
            conn.sendall(b"220 stall.test ESMTP\r\n")
            while True:
                line = f.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-stall.test\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    f.read(1000)
                    break           # stall: read no more, answer nothing
                else:
                    conn.sendall(b"250 2.0.0 Ok\r\n")

    def stop(self):
        self.sock.close()
        for c in self.conns:
            c.close()


def test_stall_mid_data_defers_and_keeps_message(smtp_mta):
    peer = StallPeer(STALL)
    try:
        inst = smtp_mta("smtp_data_xfer_timeout = 2s\nsmtp_data_done_timeout = 2s\n"
                        "message_size_limit = 20000000\n"
                        "minimal_backoff_time = 300s\nmaximal_backoff_time = 600s\n")
        body = ("x" * 998 + "\r\n") * 8000      # 8 MB: more than the socket buffers hold
        send(inst, ["i@stall.test"], body=body)
        line = line_for(inst, "i@stall.test", "deferred", timeout=60)
        assert "dsn=4.4.2" in line
        assert f"(conversation with mx.stall.test[{STALL}] timed out while sending" in line
        files = wait_for(lambda: queue_files(inst, "deferred"), 10, what="deferred queue file")
        assert len(files) == 1
        # Nothing lost: the whole message is still in the queue file.
        out = postcat(inst, "-e", "-b", os.path.join(inst.queue, "deferred", files[0])).stdout
        assert "i@stall.test" in out and out.count("x" * 998 + "\n") == 8000
    finally:
        peer.stop()


def test_loop_by_mx_to_myself(smtp_mta):
    inst = smtp_mta()
    send(inst, ["j@loopmx.test"])
    line = line_for(inst, "j@loopmx.test", "bounced")
    assert "dsn=5.4.6" in line and "(mail for loopmx.test loops back to myself)" in line


def test_loop_by_ehlo_name(smtp_mta, peers):
    peers(LOOPER, hostname=MYHOSTNAME)
    inst = smtp_mta()
    send(inst, ["k@loopehlo.test"])
    line = line_for(inst, "k@loopehlo.test", "bounced")
    assert "dsn=5.4.6" in line and "(mail for loopehlo.test loops back to myself)" in line
    assert (f"warning: host mx.loopehlo.test[{LOOPER}]:25 replied to HELO/EHLO with "
            f"my own hostname {MYHOSTNAME}") in inst.log()


def test_error_transport(smtp_mta):
    inst = smtp_mta("default_transport = error:5.7.1 outbound mail is disabled here\n")
    send(inst, ["l@implicit.test"])
    line = line_for(inst, "l@implicit.test", "bounced")
    assert "relay=none" in line and "dsn=5.7.1" in line
    assert "(outbound mail is disabled here)" in line


# A private Postfix instance (Debian's Postfix, its own config and queue
# directories). postfix(1) takes -c DIR only for a DIR listed in the
# system main.cf's alternate_config_directories, so the directory is a
# fixed one per POSTERN_TEST_USERS prefix, added to that list once.
POSTFIX_ROOT = "/var/tmp/postern-test-postfix-" + os.environ.get("POSTERN_TEST_USERS", "posterntest")


def postfix_cmd(etc, *args):
    return subprocess.run(["/usr/sbin/postfix", "-c", etc] + list(args),
                          capture_output=True, text=True, timeout=120)


def allow_postfix_config_dir(etc):
    current = subprocess.run(["/usr/sbin/postconf", "-c", "/etc/postfix", "-h",
                              "alternate_config_directories"],
                             capture_output=True, text=True).stdout
    entries = current.replace(",", " ").split()
    if etc not in entries:
        subprocess.run(["/usr/sbin/postconf", "-c", "/etc/postfix", "-e",
                        "alternate_config_directories = " + " ".join(entries + [etc])],
                       check=True)


@pytest.fixture
def postfix_peer():
    """Postfix on POSTFIX_PEER:25: mail for postfix.test goes to local
    users' ~/Maildir; make(relayhost) sets where the rest goes."""
    state = {}

    def make(relayhost=""):
        root = POSTFIX_ROOT
        etc = os.path.join(root, "etc")
        if os.path.exists(os.path.join(root, "queue", "pid", "master.pid")):
            postfix_cmd(etc, "stop")
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(etc)
        os.makedirs(os.path.join(root, "queue"))
        os.chmod(root, 0o755)
        with open(os.path.join(etc, "main.cf"), "w") as f:
            f.write(f"""compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.postfix.test
mydestination = postfix.test
mynetworks = 127.0.0.0/8
relayhost = {relayhost}
home_mailbox = Maildir/
alias_maps =
alias_database =
local_recipient_maps =
biff = no
maillog_file = {root}/maillog
smtp_helo_name = mx.postfix.test
""")
        with open(os.path.join(etc, "master.cf"), "w") as f:
            f.write(f"""{POSTFIX_PEER}:25 inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
smtp unix - - n - - smtp
relay unix - - n - - smtp
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
proxymap unix - - n - - proxymap
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
""")
        allow_postfix_config_dir(etc)
        proc = postfix_cmd(etc, "start")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        state["etc"] = etc
        wait_for_port(25, POSTFIX_PEER, timeout=30)

        def log():
            try:
                with open(os.path.join(root, "maillog"), errors="replace") as f:
                    return f.read()
            except OSError:
                return ""
        return log
    yield make
    if "etc" in state:
        postfix_cmd(state["etc"], "stop")
        shutil.rmtree(POSTFIX_ROOT, ignore_errors=True)


def test_postern_relays_to_postfix_and_back(smtp_mta, postfix_peer, mail_users):
    inst = smtp_mta("home_mailbox = Maildir/\n")
    # Postfix relays everything that is not its own to Postern's smtpd.
    postfix_log = postfix_peer(relayhost=f"[127.0.0.1]:{inst.port}")

    # Postern -> Postfix: MX lookup of postfix.test, Postfix's smtpd
    # (PIPELINING, SIZE, 8BITMIME), Postfix's local into the Maildir.
    send(inst, [f"{mail_users[1]}@postfix.test"], body="to postfix\r\n..two dots\r\n")
    line = line_for(inst, f"{mail_users[1]}@postfix.test", "sent")
    assert f"relay=mx.postfix.test[{POSTFIX_PEER}]:25" in line
    assert "(250 2.0.0 Ok: queued as " in line
    msgs = wait_for(lambda: maildir_messages(mail_users[1]), 30, what="mail via Postfix")
    assert b"to postfix\n..two dots\n" in msgs[0]     # dot-stuffing undone by Postfix
    wait_for(lambda: "status=sent (delivered to maildir)" in postfix_log(), 30,
             what="Postfix local delivery")

    # Postfix -> Postern: Postfix's smtp client to Postern's smtpd.
    with smtplib.SMTP(POSTFIX_PEER, 25, timeout=30) as s:
        s.sendmail("someone@postfix.test", [f"{mail_users[2]}@{MYHOSTNAME}"],
                   f"From: someone@postfix.test\r\nSubject: back\r\n\r\nfrom postfix\r\n")
    wait_for(lambda: f"relay=127.0.0.1[127.0.0.1]:{inst.port}" in postfix_log()
             and "status=sent" in postfix_log(), 30, what="Postfix relayed to Postern")
    msgs = wait_for(lambda: maildir_messages(mail_users[2]), 30, what="mail via Postern")
    assert b"from postfix" in msgs[0]
