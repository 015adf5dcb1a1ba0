#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) on loopback for the tests: optional STARTTLS and AUTH, scripted
replies to DATA ("451 ..." then "250"), rejected recipients, and every accepted message written to
DIR/N.eml with its envelope and arrival time (`at`, seconds since 1970) in DIR/N.json.

Usage: smtp_server.py --port P --dir DIR [--ready FILE] [--tls CERT KEY [--implicit]] [--auth USER:PASS]
                      [--data-replies JSON-list] [--reject-rcpt ADDR=REPLY]... [--delay SECONDS]
"""
import argparse, asyncio, json, os, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--dir", required=True)
p.add_argument("--ready")
p.add_argument("--tls", nargs=2)
p.add_argument("--implicit", action="store_true", help="TLS from the first byte (smtps) instead of STARTTLS")
p.add_argument("--auth")
p.add_argument("--data-replies", default="[]")
p.add_argument("--reject-rcpt", action="append", default=[])
p.add_argument("--delay", type=float, default=0)
a = p.parse_args()

replies = json.loads(a.data_replies)
rejects = dict(r.split("=", 1) for r in a.reject_rcpt)
state = {"n": 0, "data": 0}


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in rejects:
            return rejects[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if a.delay:
            await asyncio.sleep(a.delay)
        i = state["data"]
        state["data"] += 1
        if i < len(replies) and not replies[i].startswith("250"):
            return replies[i]
        state["n"] += 1
        n = state["n"]
        with open(os.path.join(a.dir, f"{n}.eml.tmp"), "wb") as f:
            f.write(envelope.original_content)
        with open(os.path.join(a.dir, f"{n}.json"), "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None, "auth": session.authenticated, "at": time.time()}, f)
        os.rename(os.path.join(a.dir, f"{n}.eml.tmp"), os.path.join(a.dir, f"{n}.eml"))
        return f"250 2.0.0 Ok: queued as T{n}"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = a.auth.split(":", 1)
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    # handled=False: aiosmtpd itself answers 535 (its default, handled=True, answers nothing).
    return AuthResult(success=ok, handled=False)


kwargs = {}
if a.tls:
    import ssl
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.tls[0], a.tls[1])
    if a.implicit:
        kwargs.update(ssl_context=ctx)
    else:
        kwargs.update(tls_context=ctx, require_starttls=True)
if a.auth:
    kwargs.update(authenticator=authenticator, auth_require_tls=bool(a.tls) and not a.implicit, auth_required=True)
controller = Controller(Handler(), hostname="127.0.0.1", port=a.port, **kwargs)
controller.start()
if a.ready:
    open(a.ready, "w").close()
try:
    sys.stdin.read()  # runs until the test closes stdin
finally:
    controller.stop()
