# NAME
#	test_transport.py - transport_maps routes mail per address and domain
# DESCRIPTION
#	transport(5)'s search order and result rules on a real instance:
#	a hash: table built with our postmap (and a regexp: table) sends
#	recipients to aiosmtpd peers on loopback ports through the smtp
#	agent ([host]:port next hops, so no DNS), or to the error agent.
#	A table that cannot be read defers the mail instead of routing it
#	the default way.
import os
import smtplib
import subprocess

import pytest

from conftest import BIN, free_port, queue_files, wait_for
from test_smtp import Peer

try:
    import aiosmtpd  # noqa: F401
except ImportError:
    aiosmtpd = None

pytestmark = pytest.mark.skipif(aiosmtpd is None, reason="needs python3-aiosmtpd")

MAIN_CF = """myhostname = postern.test
mydestination = $myhostname, localhost
recipient_delimiter = +
"""


@pytest.fixture
def three_peers():
    made = [Peer("127.0.0.1", port=free_port()) for _ in range(3)]
    yield made
    for p in made:
        p.stop()


def send(inst, rcpts, sender="sender@example.org"):
    msg = f"From: {sender}\r\nTo: {rcpts[0]}\r\nSubject: route\r\n\r\nbody\r\n"
    with smtplib.SMTP("127.0.0.1", inst.port, source_address=("127.0.0.2", 0), timeout=30) as s:
        s.sendmail(sender, rcpts, msg)


def got(peer):
    return sorted(r for m in peer.messages for r in m[1])


def port_of(peer):
    return peer.controller.port


def test_search_order_and_results(mta_instance, three_peers):
    exact, sub, wild = three_peers
    # The instance's own directory: qmgr (mail_owner) can read it.
    inst = mta_instance(MAIN_CF + "transport_maps = hash:$config_directory/transport\n"
                        # The built-in route for remote mail: the exact peer.
                        f"relayhost = [127.0.0.1]:{port_of(exact)}\n", smtp=True)
    table = os.path.join(inst.etc, "transport")
    with open(table, "w") as f:
        f.write(f"exact.test         smtp:[127.0.0.1]:{port_of(exact)}\n"
                f".sub.test          smtp:[127.0.0.1]:{port_of(sub)}\n"
                f"user@special.test  smtp:[127.0.0.1]:{port_of(sub)}\n"
                "error.test         error:5.7.1 no mail for this domain\n"
                "keep.test          :\n"
                f"*                  smtp:[127.0.0.1]:{port_of(wild)}\n")
    subprocess.run([os.path.join(BIN, "postmap"), "-c", inst.etc, f"hash:{table}"], check=True)
    send(inst, ["a@exact.test", "b@x.sub.test", "c@sub.test", "user+ext@special.test",
                "other@special.test", "d@error.test", "e@keep.test"])
    line = inst.wait_for_log(r"to=<d@error.test>, .*status=bounced .*", 30).group(0)
    assert "relay=none" in line and "dsn=5.7.1" in line and "(no mail for this domain)" in line
    # The bounce for d@error.test goes to sender@example.org, through "*".
    wait_for(lambda: len(got(exact)) + len(got(sub)) + len(got(wild)) >= 7, 30,
             what="deliveries to the three peers")
    # keep.test's ":" is a match that keeps the built-in route (relayhost).
    assert got(exact) == ["a@exact.test", "e@keep.test"]
    # ".sub.test" matches subdomains only; user@ matches with the extension.
    assert got(sub) == ["b@x.sub.test", "user+ext@special.test"]
    assert got(wild) == ["c@sub.test", "other@special.test", "sender@example.org"]
    line = inst.wait_for_log(rf"to=<a@exact.test>, relay=127.0.0.1\[127.0.0.1\]:{port_of(exact)}, .*status=sent", 10)
    assert line


def test_regexp_table_and_nexthop_only(mta_instance, three_peers):
    first, second, _ = three_peers
    inst = mta_instance(MAIN_CF + "transport_maps = regexp:$config_directory/transport.re\n",
                        smtp=True)
    with open(os.path.join(inst.etc, "transport.re"), "w") as f:
        f.write(f"/^vip-.*@corp\\.test$/  smtp:[127.0.0.1]:{port_of(first)}\n"
                f"/@corp\\.test$/         :[127.0.0.1]:{port_of(second)}\n")
    send(inst, ["vip-1@corp.test", "plain@corp.test"])
    wait_for(lambda: got(first) and got(second), 30, what="two deliveries")
    assert got(first) == ["vip-1@corp.test"] and got(second) == ["plain@corp.test"]
    # ":nexthop" keeps the transport (smtp, the default_transport).
    inst.wait_for_log(r"to=<plain@corp.test>, relay=127.0.0.1\[127.0.0.1\]:\d+, .*status=sent", 10)


def test_missing_table_defers(mta_instance):
    inst = mta_instance(MAIN_CF + "transport_maps = hash:$config_directory/nothing\n", smtp=True)
    send(inst, ["z@anywhere.test"])
    line = inst.wait_for_log(r"to=<z@anywhere.test>, .*status=deferred .*", 30).group(0)
    assert "dsn=4.3.0" in line
    wait_for(lambda: queue_files(inst, "deferred"), 10, what="message kept in deferred/")
