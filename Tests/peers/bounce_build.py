#!/usr/bin/env python3
"""Builds a returned message with Python's email package, as a relay or a mailbox provider would
send it, and writes its bytes to stdout.

  bounce_build.py dsn --to ADDR --recipient ADDR --status 5.1.1 [--action failed]
                  [--diagnostic TEXT] [--original FILE]
      An RFC 3464 multipart/report; report-type=delivery-status from MAILER-DAEMON to ADDR (the
      envelope sender, a VERP address). --original adds the original's header (text/rfc822-headers).
  bounce_build.py arf --to ADDR --recipient ADDR --original FILE
      An RFC 5965 abuse report (multipart/report; report-type=feedback-report) with the original
      message attached (message/rfc822), as a feedback loop sends it.
"""
import argparse, email, email.policy, sys
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid

p = argparse.ArgumentParser()
p.add_argument("form", choices=["dsn", "arf"])
p.add_argument("--to", required=True)
p.add_argument("--recipient", required=True)
p.add_argument("--status", default="5.1.1")
p.add_argument("--action", default="failed")
p.add_argument("--diagnostic", default="smtp; 550 5.1.1 <{r}>: Recipient address rejected: User unknown")
p.add_argument("--original")
a = p.parse_args()

original = None
if a.original:
    with open(a.original, "rb") as f:
        original = email.message_from_bytes(f.read(), policy=email.policy.compat32)

if a.form == "dsn":
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@relay.example.net (Mail Delivery System)"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.attach(MIMEText("I'm sorry to have to inform you that your message could not be delivered.\n"))
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; relay.example.net"
    per_message["Arrival-Date"] = formatdate()
    per_recipient = Message()
    per_recipient["Final-Recipient"] = "rfc822; " + a.recipient
    per_recipient["Action"] = a.action
    per_recipient["Status"] = a.status
    per_recipient["Diagnostic-Code"] = a.diagnostic.format(r=a.recipient)
    status = Message()
    status.set_type("message/delivery-status")
    del status["MIME-Version"]
    status.set_payload([per_message, per_recipient])
    report.attach(status)
    if original is not None:
        headers = MIMEText("".join(f"{k}: {v}\n" for k, v in original.items()), "rfc822-headers")
        report.attach(headers)
else:
    report = MIMEMultipart("report", report_type="feedback-report")
    report["From"] = "feedback@fbl.example.net"
    report["Subject"] = "Complaint about message from news.example.org"
    report.attach(MIMEText("This is an email abuse report for an email message received.\n"))
    feedback = MIMEBase("message", "feedback-report")
    feedback.set_payload(
        "Feedback-Type: abuse\nUser-Agent: ExampleFBL/1.0\nVersion: 1\n"
        f"Original-Rcpt-To: {a.recipient}\nArrival-Date: {formatdate()}\n")
    report.attach(feedback)
    attached = MIMEBase("message", "rfc822")
    attached.set_payload([original])
    report.attach(attached)

report["To"] = a.to
report["Date"] = formatdate()
report["Message-ID"] = make_msgid(domain="relay.example.net")
report["Auto-Submitted"] = "auto-replied"
sys.stdout.buffer.write(report.as_bytes(policy=email.policy.SMTP))
