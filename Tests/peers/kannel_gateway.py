#!/usr/bin/env python3
"""Runs a real Kannel on loopback for the SMS channel tests: bearerbox, smsbox and fakesmsc.

Usage: kannel_gateway.py DIR

Writes DIR/kannel.conf (the project's own minimal setup, below, on free ports), starts the
three programs, and once smsbox's sendsms port accepts connections writes DIR/ready as JSON:
{"sendsms": PORT, "fakesmsc_log": PATH}. fakesmsc prints every message it receives to
DIR/fakesmsc.log ("Got message N: <FROM TO text …>" or "<FROM TO ucs-2 %06E…>"). Everything
stops when stdin closes. Exits 3 with a reason on stderr when Kannel is not installed.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def main():
    missing = [p for p in (BEARERBOX, SMSBOX, FAKESMSC) if not os.access(p, os.X_OK)]
    if missing:
        print("Kannel is not installed (missing " + ", ".join(missing)
              + "; run scripts/install-deps.sh --test, or apt-get install kannel kannel-extras)", file=sys.stderr)
        sys.exit(3)
    d = os.path.abspath(sys.argv[1])
    os.makedirs(d, exist_ok=True)
    admin, boxc, smsc, sendsms = free_port(), free_port(), free_port(), free_port()
    conf = f"""group = core
admin-port = {admin}
admin-password = adm
admin-interface = 127.0.0.1
smsbox-port = {boxc}
smsbox-interface = 127.0.0.1
log-level = 1
log-file = "{d}/bearerbox.log"
access-log = "{d}/access.log"
box-allow-ip = "127.0.0.1"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = FAKE
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {boxc}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-file = "{d}/smsbox.log"
log-level = 1
mo-recode = true

group = sendsms-user
username = outreach
password = secret
concatenation = true
max-messages = 10

group = sms-service
keyword = default
text = "ok"
"""
    with open(f"{d}/kannel.conf", "w") as f:
        f.write(conf)
    procs = []

    def stop(*_):
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        sys.exit(0)

    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, stop)
    out = open(f"{d}/boxes.out", "w")
    procs.append(subprocess.Popen([BEARERBOX, f"{d}/kannel.conf"], stdout=out, stderr=out, stdin=subprocess.DEVNULL))
    if not wait_port(boxc):
        print("bearerbox did not start; see " + d + "/bearerbox.log", file=sys.stderr)
        stop()
    procs.append(subprocess.Popen([SMSBOX, f"{d}/kannel.conf"], stdout=out, stderr=out, stdin=subprocess.DEVNULL))
    fake_log = open(f"{d}/fakesmsc.log", "w")
    procs.append(subprocess.Popen([FAKESMSC, "-H", "127.0.0.1", "-r", str(smsc), "-i", "0.1", "-m", "0", "123 456 text nothing"],
                                  stdout=fake_log, stderr=fake_log, stdin=subprocess.DEVNULL))
    if not wait_port(sendsms):
        print("smsbox did not open its sendsms port; see " + d + "/smsbox.log", file=sys.stderr)
        stop()
    with open(f"{d}/ready.tmp", "w") as f:
        json.dump({"sendsms": sendsms, "fakesmsc_log": f"{d}/fakesmsc.log"}, f)
    os.rename(f"{d}/ready.tmp", f"{d}/ready")
    sys.stdin.read()  # the test holds our stdin open while it runs
    stop()


if __name__ == "__main__":
    main()
