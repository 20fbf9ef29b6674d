# NAME
#	test_bounce_format.py - delivery status notifications parse as MIME
# DESCRIPTION
#	The unit test binary writes one notification (three recipients,
#	failed or delayed) with "bounce_test --emit FILE KIND"; Python's
#	email package, an independent MIME parser, must read it as an RFC
#	6522 multipart/report with an RFC 3464 message/delivery-status part,
#	without defects.
import email
import email.policy
import os
import subprocess

import pytest

from conftest import BUILD

BOUNCE_TEST = os.path.join(BUILD, "t", "bounce_test")


def emit(tmp_path, kind):
    if not os.access(BOUNCE_TEST, os.X_OK):
        pytest.skip(f"{BOUNCE_TEST} not built")
    out = tmp_path / f"{kind}.eml"
    subprocess.run([BOUNCE_TEST, "--emit", str(out), kind], check=True, timeout=60)
    data = out.read_bytes()
    return data, email.message_from_bytes(data, policy=email.policy.default)


def all_defects(msg):
    found = list(msg.defects)
    for part in msg.walk():
        found += part.defects
    return found


@pytest.mark.parametrize("kind,action,statuses", [
    ("failed", "failed", ["5.1.1", "5.2.2", "5.0.0"]),
    ("delayed", "delayed", ["4.4.1", "4.2.2", "4.3.0"]),
])
def test_notification_is_a_delivery_report(tmp_path, kind, action, statuses):
    data, msg = emit(tmp_path, kind)
    assert b"\r" not in data
    assert max(len(line) for line in data.split(b"\n")) <= 998
    assert not all_defects(msg), all_defects(msg)

    assert msg.get_content_type() == "multipart/report"
    assert msg.get_param("report-type") == "delivery-status"
    assert msg["MIME-Version"] == "1.0"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["From"].addresses[0].addr_spec == "MAILER-DAEMON@mail.example.com"
    assert msg["To"].addresses[0].addr_spec == "alice@example.com"
    assert msg["Date"].datetime is not None
    assert msg["Message-Id"].startswith("<") and msg["Message-Id"].endswith("@mail.example.com>")
    subject = {"failed": "Undelivered Mail Returned to Sender",
               "delayed": "Delayed Mail (still being retried)"}[kind]
    assert msg["Subject"] == subject

    parts = msg.get_payload()
    assert [p.get_content_type() for p in parts] == [
        "text/plain", "message/delivery-status", "text/rfc822-headers"]

    text = parts[0].get_content()
    assert "This is the mail system at host mail.example.com." in text
    for rcpt in ("<carol@remote.example>" if kind == "failed" else "<r1@example.net>",):
        assert rcpt in text

    # RFC 3464 2.1: one per-message block, then one block per recipient.
    blocks = parts[1].get_payload()
    assert len(blocks) == 4, [dict(b) for b in blocks]
    per_message, recipients = blocks[0], blocks[1:]
    assert per_message["Reporting-MTA"] == "dns; mail.example.com"
    assert per_message["X-Postern-Sender"] == "rfc822; alice@example.com"
    assert per_message["X-Postern-Queue-ID"]
    assert per_message["Arrival-Date"]
    for block, status in zip(recipients, statuses):
        assert block["Final-Recipient"].startswith("rfc822; ")
        assert block["Action"] == action
        assert block["Status"] == status
        assert ("Will-Retry-Until" in block) == (kind == "delayed")
    if kind == "failed":
        carol, dave, erin = recipients
        assert carol["Remote-MTA"] == "dns; mx.remote.example"
        assert " ".join(carol["Diagnostic-Code"].split()) == (
            "smtp; 550 5.1.1 <carol@remote.example>: Recipient address rejected: "
            "User unknown in virtual mailbox table")
        assert dave["Original-Recipient"] == "rfc822; list@example.com"
        assert "Remote-MTA" not in dave
        assert dave["Diagnostic-Code"].startswith("X-Postern; cannot update mailbox")
        assert erin["Remote-MTA"] == "dns; 192.0.2.7"

    headers = parts[2].get_payload()
    original = email.message_from_string(headers, policy=email.policy.default)
    assert original["Subject"] == "lunch"
    assert original["Message-Id"] == "<1@example.com>"
    assert "Are you free" not in headers
