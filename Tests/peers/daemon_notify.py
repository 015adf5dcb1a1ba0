"""A stand-in for systemd's notify socket: binds a datagram socket at PATH and appends every
message it receives to PATH.log, one datagram per line (newlines inside shown as ';').
Prints "ready" once bound; exits after receiving STOPPING=1 or after SECONDS."""
import os
import socket
import sys
import time

path, seconds = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.5)
print("ready", flush=True)
deadline = time.time() + seconds
with open(path + ".log", "a") as log:
    while time.time() < deadline:
        try:
            data = s.recv(4096).decode()
        except socket.timeout:
            continue
        log.write(data.replace("\n", ";") + "\n")
        log.flush()
        if "STOPPING=1" in data:
            break
