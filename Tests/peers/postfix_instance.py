#!/usr/bin/env python3
"""A throwaway Postfix (`postfix -c DIR`) on loopback for the bounce tests: its own configuration,
queue and data directories under DIR, no chroot, no system mail touched. It accepts mail from
127.0.0.1 on --port and relays it to --relay (an SMTP peer that refuses recipients); the delivery
status notification it then writes goes, like all mail for --bounce-domain, to --bounce-relay
(an SMTP peer that keeps what it receives). Must run as root (Postfix's master does).

Usage: postfix_instance.py --dir DIR --port P --relay P2 --bounce-relay P3 --bounce-domain D [--ready FILE]
Runs until its standard input closes or it gets SIGTERM; then `postfix -c DIR/etc stop`.
"""
import argparse, os, pwd, signal, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--dir", required=True)
p.add_argument("--port", type=int, required=True)
p.add_argument("--relay", type=int, required=True)
p.add_argument("--bounce-relay", type=int, required=True)
p.add_argument("--bounce-domain", required=True)
p.add_argument("--ready")
a = p.parse_args()

root = os.path.abspath(a.dir)
etc, queue, data = (os.path.join(root, d) for d in ("etc", "queue", "data"))
for d in (etc, queue, data):
    os.makedirs(d, exist_ok=True)
# The postfix user must reach its queue and data directories.
os.chmod(root, 0o755)
postfix = pwd.getpwnam("postfix")
os.chown(data, postfix.pw_uid, postfix.pw_gid)

with open(os.path.join(etc, "main.cf"), "w") as f:
    f.write(f"""compatibility_level = 3.6
queue_directory = {queue}
data_directory = {data}
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.outreach-test.invalid
mydomain = outreach-test.invalid
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:{a.relay}
transport_maps = texthash:{etc}/transport
alias_maps =
alias_database =
local_recipient_maps =
maillog_file_prefixes = {root}
maillog_file = {root}/postfix.log
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_dns_support_level = disabled
notify_classes =
""")
with open(os.path.join(etc, "transport"), "w") as f:
    f.write(f"{a.bounce_domain} smtp:[127.0.0.1]:{a.bounce_relay}\n")
with open(os.path.join(etc, "master.cf"), "w") as f:
    f.write(f"""127.0.0.1:{a.port} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
""")


def postfix(command):
    r = subprocess.run(["/usr/sbin/postfix", "-c", etc, command], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def stop(*_):
    postfix("stop")
    sys.exit(0)


code, out = postfix("start")
if code != 0:
    log = open(os.path.join(root, "postfix.log")).read() if os.path.exists(os.path.join(root, "postfix.log")) else ""
    sys.exit(f"postfix -c {etc} start failed ({code}): {out}\n{log}")
signal.signal(signal.SIGTERM, stop)
try:
    # Ready once smtpd answers on the port.
    import socket
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", a.port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                sys.exit(f"postfix did not listen on 127.0.0.1:{a.port}")
            time.sleep(0.1)
    if a.ready:
        open(a.ready, "w").close()
    sys.stdin.read()  # runs until the test closes stdin
finally:
    postfix("stop")
