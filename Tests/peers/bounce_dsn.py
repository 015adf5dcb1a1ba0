#!/usr/bin/env python3
"""Writes delivery status notifications, a feedback report and auto-replies built with Python's
email package into OUTDIR, and OUTDIR/expected.json with what each must parse to.

The Swift test runs `outreachd bounces parse` over them: messages our parser did not write."""
import json, os, sys
from email import policy
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

out = sys.argv[1]
expected = {}


def original(to, delivery=None, message_id=None):
    m = EmailMessage()
    m["From"] = "News <newsletter@news.example.org>"
    m["To"] = to
    m["Subject"] = "February news"
    if message_id:
        m["Message-ID"] = message_id
    if delivery is not None:
        m["X-Outreach-Delivery"] = str(delivery)
    m.set_content("Hello.\n")
    return m


def fields(**kw):
    """One group of DSN fields (a Message with headers only, as the email package models them)."""
    block = Message()
    for k, v in kw.items():
        block[k.replace("_", "-")] = v
    return block


def report(name, blocks, returned, report_type="delivery-status", status_type="delivery-status", smtputf8=False):
    msg = MIMEMultipart("report", report_type=report_type)
    msg["From"] = "Mail Delivery System <MAILER-DAEMON@py.example>"
    msg["To"] = "bounces@news.example.org"
    msg["Subject"] = "Undelivered Mail Returned to Sender"
    msg.attach(MIMEText("This report was written by Python's email package.\n"))
    if status_type == "delivery-status":
        status = MIMEBase("message", status_type)
        status.set_payload(blocks)
    else:
        # The package models only message/delivery-status as groups of fields, and writes no 8-bit
        # message/* part: the global form (RFC 6533) is its UTF-8 text, base64-encoded.
        text = "\n".join("".join(f"{k}: {v}\n" for k, v in b.items()) for b in blocks)
        status = EmailMessage(policy=policy.SMTPUTF8)
        status.set_content(text.encode("utf-8"), maintype="message", subtype=status_type, cte="base64")
    msg.attach(status)
    if returned is not None:
        msg.attach(MIMEMessage(returned))
    data = msg.as_bytes(policy=policy.SMTPUTF8 if smtputf8 else policy.SMTP)
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


per_message = fields(Reporting_MTA="dns; py.example", Arrival_Date="Mon, 2 Feb 2026 10:00:00 +0000")

report("py-hard.eml", [per_message, fields(
    Final_Recipient="rfc822; Gone@Example.ORG", Original_Recipient="rfc822; gone@example.org",
    Action="failed", Status="5.1.1",
    Diagnostic_Code="smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown")],
    original("gone@example.org", delivery=7001))
expected["py-hard.eml"] = [{"recipient": "Gone@example.org", "kind": "hard", "status": "5.1.1", "delivery": 7001}]

report("py-mixed.eml", [per_message,
    fields(Final_Recipient="rfc822; a@example.org", Action="failed", Status="5.1.2"),
    fields(Final_Recipient="rfc822; b@example.org", Action="failed", Status="4.2.2",
           Diagnostic_Code="smtp; 452 4.2.2 Over quota"),
    fields(Final_Recipient="rfc822; c@example.org", Action="delayed", Status="4.4.7"),
    fields(Final_Recipient="rfc822; d@example.org", Action="delivered", Status="2.0.0"),
    fields(Final_Recipient="rfc822; e@example.org", Action="failed", Status="5.7.1",
           Diagnostic_Code="smtp; 550 5.7.1 Message rejected as spam")],
    original("a@example.org", message_id="<outreach.7002.3.mgk3x1@news.example.org>"))
expected["py-mixed.eml"] = [
    {"recipient": "a@example.org", "kind": "hard", "status": "5.1.2", "delivery": 7002},
    {"recipient": "b@example.org", "kind": "soft", "status": "4.2.2", "delivery": 7002},
    {"recipient": "c@example.org", "kind": "delayed", "status": "4.4.7", "delivery": 7002},
    {"recipient": "e@example.org", "kind": "soft", "status": "5.7.1", "delivery": 7002},
]

report("py-global.eml", [per_message, fields(
    Original_Recipient="utf-8; j\\x{00F6}rg@b\\x{00FC}cher.example", Final_Recipient="utf-8; jörg@Bücher.example",
    Action="failed", Status="5.1.1")],
    None, report_type="global-delivery-status", status_type="global-delivery-status", smtputf8=True)
expected["py-global.eml"] = [{"recipient": "jörg@bücher.example", "kind": "hard", "status": "5.1.1", "delivery": None}]

# An RFC 5965 feedback report.
arf = MIMEMultipart("report", report_type="feedback-report")
arf["From"] = "fbl@isp.example"
arf["To"] = "fbl@news.example.org"
arf["Subject"] = "Complaint"
arf.attach(MIMEText("An abuse report.\n"))
feedback = MIMEBase("message", "feedback-report")
feedback.set_payload([fields(Feedback_Type="abuse", User_Agent="PyFBL/1.0", Version="1",
                             Original_Rcpt_To="<reader@isp.example>")])
arf.attach(feedback)
arf.attach(MIMEMessage(original("reader@isp.example", delivery=7003)))
with open(os.path.join(out, "py-arf.eml"), "wb") as f:
    f.write(arf.as_bytes(policy=policy.SMTP))
expected["py-arf.eml"] = [{"recipient": "reader@isp.example", "kind": "complaint", "status": None, "delivery": 7003}]

# RFC 3834 auto-reply and a human reply.
for name, auto, subject, kind in [("py-vacation.eml", "auto-replied", "Re: February news", "auto-reply"),
                                  ("py-human.eml", None, "Re: February news", None)]:
    m = EmailMessage()
    m["From"] = "Reader <reader@example.org>"
    m["To"] = "newsletter@news.example.org"
    m["Subject"] = subject
    m["In-Reply-To"] = "<outreach.7004.3.mgk3x1@news.example.org>"
    if auto:
        m["Auto-Submitted"] = auto
    m.set_content("I am away.\n" if auto else "Thanks!\n")
    with open(os.path.join(out, name), "wb") as f:
        f.write(m.as_bytes(policy=policy.SMTP))
    expected[name] = [{"recipient": "reader@example.org", "kind": kind, "status": None, "delivery": 7004}] if kind else []

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, ensure_ascii=False)
