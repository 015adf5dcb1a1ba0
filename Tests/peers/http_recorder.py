#!/usr/bin/env python3
"""A real HTTP/1.1 server on loopback that records every request and answers from a script.

Usage: http_recorder.py --port P --log FILE [--responses JSON] [--secret whsec_...] [--ready FILE]

Each request is appended to FILE as one JSON line: method, path, query (parsed with
urllib.parse), headers ([name, value] pairs), body (text), and, parsed independently of the
client under test, `json` (json.loads) for JSON bodies and `form` (urllib.parse.parse_qsl) for
form bodies. With --secret, `signature` records whether Python's standardwebhooks package
verifies the request ("ok" or the exception text).

--responses is a JSON list of {"status": 429, "headers": {"Retry-After": "2"}, "body": "...", "delay": 0}
served in order; the last one repeats. The default is a single 200 with body "ok".
"""
import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--responses", default='[{"status": 200, "body": "ok"}]')
parser.add_argument("--secret")
parser.add_argument("--ready")
parser.add_argument("--cert", help="PEM certificate: serve HTTPS")
parser.add_argument("--key", help="PEM private key for --cert")
parser.add_argument("--exit-on-stdin-eof", action="store_true",
                    help="exit when stdin closes (the test harness holds the other end)")
args = parser.parse_args()

responses = json.loads(args.responses)
lock = threading.Lock()
state = {"n": 0}


def verify(headers, body):
    if not args.secret:
        return None
    try:
        import standardwebhooks
        standardwebhooks.Webhook(args.secret).verify(body, {k.lower(): v for k, v in headers})
        return "ok"
    except Exception as e:  # the package's WebhookVerificationError and anything else
        return f"{type(e).__name__}: {e}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urllib.parse.urlsplit(self.path)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        record = {
            "method": self.command,
            "path": split.path,
            "raw_path": self.path,
            "query": urllib.parse.parse_qsl(split.query, keep_blank_values=True),
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "client_port": self.client_address[1],
            "received": time.monotonic(),  # when the request's body had arrived (seconds, monotonic)
        }
        if ctype == "application/json":
            try:
                record["json"] = json.loads(body)
            except ValueError as e:
                record["json_error"] = str(e)
        if ctype == "application/x-www-form-urlencoded":
            try:
                record["form"] = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                                                        strict_parsing=True, errors="strict")
            except ValueError as e:
                record["form_error"] = str(e)
        sig = verify(self.headers.items(), body)
        if sig is not None:
            record["signature"] = sig
        with lock:
            reply = responses[min(state["n"], len(responses) - 1)]
            state["n"] += 1
            with open(args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        if reply.get("delay"):
            time.sleep(reply["delay"])  # a peer that is too slow to answer
        out = reply.get("body", "").encode("utf-8")
        self.send_response(reply.get("status", 200))
        for k, v in reply.get("headers", {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


# The test harness may start us with SIGTERM blocked; take it back, and also exit when stdin closes
# (the harness holds the other end), so a recorder never outlives its test.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
signal.signal(signal.SIGTERM, signal.SIG_DFL)


def exit_on_eof():
    sys.stdin.read()
    os._exit(0)


if args.exit_on_stdin_eof:
    threading.Thread(target=exit_on_eof, daemon=True).start()

server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
if args.cert:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
if args.ready:
    with open(args.ready, "w") as f:
        f.write(str(server.server_address[1]))
print("ready", server.server_address[1], flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
