"""Signs email provider webhook requests as each provider documents it, independently of Outreach
(Python's `cryptography`, hmac, base64), for the end-to-end tests of /v1/receipts/email/CHANNEL.

  provider_webhooks.py keys DIR      makes fresh test keys: DIR/sns-cert.pem (a self-signed RSA
                                     certificate standing in for SNS's), DIR/sns-key.pem,
                                     DIR/other-key.pem, DIR/sendgrid-key.pem; prints
                                     {"sendgrid_public_key": base64 of the DER public key}
  provider_webhooks.py request DIR   stdin: {"provider": ..., ...}; prints {"headers": {...}, "body": "..."}
      ses:      {"type": "Notification"|"SubscriptionConfirmation", "topic", "message" (an object,
                 sent as JSON text), "version": "1"|"2", "age": seconds, "key": "sns"|"other",
                 "subject" (optional), "message_id" (optional)}
      sendgrid: {"events": [...], "timestamp" (optional)}
      mailgun:  {"signing_key", "event": {...}, "token" (optional), "age": seconds}
      postmark: {"auth": "user:password", "record": {...}}

SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
SendGrid: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
Mailgun: https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks
"""
import base64
import datetime
import hashlib
import hmac
import json
import sys
import time
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID


def write_key(path, key):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def keys(d):
    sns = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.test.invalid")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(sns.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2)).sign(sns, hashes.SHA256()))
    with open(d + "/sns-cert.pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    write_key(d + "/sns-key.pem", sns)
    write_key(d + "/other-key.pem", rsa.generate_private_key(public_exponent=65537, key_size=2048))
    sg = ec.generate_private_key(ec.SECP256R1())
    write_key(d + "/sendgrid-key.pem", sg)
    der = sg.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    print(json.dumps({"sendgrid_public_key": base64.b64encode(der).decode()}))


def load(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def ses(d, r):
    sent = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=r.get("age", 0))
    m = {
        "Type": r.get("type", "Notification"), "MessageId": r.get("message_id", str(uuid.uuid4())),
        "TopicArn": r["topic"], "Message": json.dumps(r["message"]),
        "Timestamp": sent.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (sent.microsecond // 1000),
        "SignatureVersion": r.get("version", "1"),
        "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
    }
    if "subject" in r:
        m["Subject"] = r["subject"]
    if m["Type"] == "Notification":
        names = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        m["Token"] = "2336412f37fb687f5d51e6e2425c464de12884c3"
        m["SubscribeURL"] = ("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn="
                             + m["TopicArn"] + "&Token=" + m["Token"])
        names = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    text = "".join(n + "\n" + m[n] + "\n" for n in names if n in m).encode("utf-8")
    digest = hashes.SHA1() if m["SignatureVersion"] == "1" else hashes.SHA256()
    key = load(d + "/" + r.get("key", "sns") + "-key.pem")
    m["Signature"] = base64.b64encode(key.sign(text, padding.PKCS1v15(), digest)).decode()
    # SNS posts its JSON as text/plain.
    return {"x-amz-sns-message-type": m["Type"], "Content-Type": "text/plain; charset=UTF-8"}, json.dumps(m)


def sendgrid(d, r):
    body = json.dumps(r["events"])
    ts = str(r.get("timestamp", int(time.time())))
    sig = load(d + "/sendgrid-key.pem").sign((ts + body).encode("utf-8"), ec.ECDSA(hashes.SHA256()))
    return {"Content-Type": "application/json", "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(sig).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": ts}, body


def mailgun(d, r):
    ts = str(int(time.time()) - r.get("age", 0))
    token = r.get("token", uuid.uuid4().hex + uuid.uuid4().hex[:18])
    sig = hmac.new(r["signing_key"].encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
    body = json.dumps({"signature": {"timestamp": ts, "token": token, "signature": sig}, "event-data": r["event"]})
    return {"Content-Type": "application/json"}, body


def postmark(d, r):
    auth = "Basic " + base64.b64encode(r["auth"].encode()).decode()
    return {"Content-Type": "application/json", "Authorization": auth}, json.dumps(r["record"])


def main():
    if sys.argv[1] == "keys":
        keys(sys.argv[2])
        return
    r = json.load(sys.stdin)
    headers, body = {"ses": ses, "sendgrid": sendgrid, "mailgun": mailgun, "postmark": postmark}[r["provider"]](
        sys.argv[2], r)
    print(json.dumps({"headers": headers, "body": body}))


if __name__ == "__main__":
    main()
