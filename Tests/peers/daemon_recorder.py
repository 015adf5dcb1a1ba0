"""A slow HTTP peer for the daemon's webhook channel: records the webhook-id of every request.

  daemon_recorder.py PORT LOGFILE DELAY_SECONDS

Appends one line per request (the webhook-id header) to LOGFILE, flushed before answering 200,
after sleeping DELAY_SECONDS (a slow relay). Threaded: each of the daemon's connections is served
at once. Prints "ready" when listening.
"""
import http.server
import os
import sys
import threading
import time

port, logfile, delay = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
lock = threading.Lock()
log = open(logfile, "a")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        time.sleep(delay)
        with lock:
            log.write(self.headers.get("webhook-id", "?") + "\n")
            log.flush()
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


s = Server(("127.0.0.1", port), Handler)
print("ready", flush=True)
s.serve_forever()
