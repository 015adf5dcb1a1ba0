"""An independent HTTP client for the daemon tests (Python's http.client).

  daemon_client.py requests            stdin: JSON list of {method, url, headers, body | form}; prints
                                       a JSON list of {status, headers (lower-case), body}
  daemon_client.py wait URL SECONDS    polls URL until it answers 200 (exit 1 on timeout)
  daemon_client.py load URL TOKEN TEMPLATE CHANNEL COUNT THREADS [email]
                                       posts COUNT triggers {"template", "to":[{"address": "room"}]
                                       (or [{"email": "u<i>@example.org"}] with "email"),
                                       "channels": [CHANNEL], "data":{"n": i}} with Idempotency-Key
                                       load-i on THREADS keep-alive connections (retrying a request
                                       whose connection failed); prints {"accepted": n, "errors": [...]}
                                       and exits 1 if any was not 202
  daemon_client.py twins URL TOKEN KEYS PAIRS [seeded]
                                       sends every Idempotency-Key twin-K (K < KEYS) twice at once, from two
                                       threads of a pair (PAIRS pairs, keep-alive connections) released by a
                                       barrier per key; the twin has the same body, except for every tenth key
                                       (another address); prints a JSON list, per key, of the two answers
                                       {status, replayed (the Idempotent-Replayed header), body}. With
                                       "seeded", the second thread's body is first sent alone, and its
                                       answer is a third element
  daemon_client.py late URL TOKEN DB PID
                                       a drain with a request still waiting for the disk: holds the
                                       database's write lock, posts request A, sends SIGTERM to PID,
                                       posts request B 6.3 s later (after the HTTP drain's 5 s) on a
                                       keep-alive connection opened before the SIGTERM, and lets the
                                       database go 7.8 s after the SIGTERM; prints {"a": {status,
                                       tenths, body}, "b": …}, tenths of seconds from the SIGTERM
  daemon_client.py together            stdin: JSON list of requests (as for "requests"), each sent from a
                                       thread of its own on a connection opened before, all released at once
                                       by a barrier; prints their answers in the same order
  daemon_client.py acked OUT STOP TOKEN,URL...
                                       from two threads per URL (each TOKEN,URL a node and its bearer token),
                                       posts triggers {"template": "welcome", "to": [{"email": KEY@example.org}]}
                                       with Idempotency-Key KEY (unique, never repeated) until the file STOP
                                       exists; appends "STATUS KEY" to OUT per answer (status 0 when the
                                       connection failed, then opened again) and exits 0
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def connection(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60), (u.path or "/") + (("?" + u.query) if u.query else "")


def one(req):
    conn, path = connection(req["url"])
    headers = req.get("headers", {})
    body = None
    if "body" in req:
        body = req["body"].encode("utf-8")
    elif "form" in req:
        body = urllib.parse.urlencode(req["form"]).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif "repeat" in req:
        body = req["repeat"]["char"].encode() * req["repeat"]["count"]
    conn.request(req.get("method", "GET"), path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return {"status": r.status, "headers": {k.lower(): v for k, v in r.getheaders()}, "body": data.decode("utf-8", "replace")}


def main():
    mode = sys.argv[1]
    if mode == "requests":
        print(json.dumps([one(r) for r in json.load(sys.stdin)]))
    elif mode == "wait":
        deadline = time.time() + float(sys.argv[3])
        while time.time() < deadline:
            try:
                if one({"url": sys.argv[2]})["status"] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        sys.exit(1)
    elif mode == "load":
        url, token, template, channel = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
        count, threads = int(sys.argv[6]), int(sys.argv[7])
        email = len(sys.argv) > 8 and sys.argv[8] == "email"
        results = {}
        errors = []
        lock = threading.Lock()

        def worker(k):
            conn, path = connection(url)
            for i in range(k, count, threads):
                to = [{"email": "u%d@example.org" % i}] if email else [{"address": "room"}]
                body = json.dumps({"template": template, "to": to, "channels": [channel], "data": {"n": i}})
                for attempt in range(5):
                    try:
                        conn.request("POST", path, body=body, headers={"Authorization": "Bearer " + token,
                                     "Content-Type": "application/json", "Idempotency-Key": "load-%d" % i})
                        r = conn.getresponse()
                        data = r.read()
                        break
                    except (OSError, http.client.HTTPException):
                        conn.close()
                        conn, path = connection(url)
                        time.sleep(0.1)
                else:
                    with lock:
                        errors.append("request %d failed" % i)
                    continue
                with lock:
                    if r.status == 202:
                        results[i] = json.loads(data)["id"]
                    else:
                        errors.append("%d: %s" % (r.status, data[:200]))

        ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        print(json.dumps({"accepted": len(results), "errors": errors[:10]}))
        sys.exit(1 if errors else 0)
    elif mode == "together":
        together(json.load(sys.stdin))
    elif mode == "acked":
        acked(sys.argv[2], sys.argv[3], [a.split(",", 1) for a in sys.argv[4:]])
    elif mode == "late":
        late(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif mode == "twins":
        twins(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), len(sys.argv) > 6 and sys.argv[6] == "seeded")


def together(requests):
    answers = [None] * len(requests)
    barrier = threading.Barrier(len(requests), timeout=60)

    def send(i, req):
        conn, path = connection(req["url"])
        conn.connect()
        body = req.get("body", "").encode("utf-8")
        barrier.wait()
        conn.request(req.get("method", "POST"), path, body=body, headers=req.get("headers", {}))
        r = conn.getresponse()
        answers[i] = {"status": r.status, "headers": {k.lower(): v for k, v in r.getheaders()},
                      "body": r.read().decode("utf-8", "replace")}
        conn.close()

    ts = [threading.Thread(target=send, args=(i, r)) for i, r in enumerate(requests)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(json.dumps(answers))


def acked(out, stop, nodes):
    import os
    lock = threading.Lock()
    log = open(out, "a")

    def worker(n, token, url):
        conn, path = connection(url + "/v1/messages")
        i = 0
        while not os.path.exists(stop):
            key = "k%d-%d" % (n, i)
            i += 1
            body = json.dumps({"template": "welcome", "to": [{"email": key + "@example.org"}]})
            try:
                conn.request("POST", path, body=body, headers={"Authorization": "Bearer " + token,
                             "Content-Type": "application/json", "Idempotency-Key": key})
                r = conn.getresponse()
                r.read()
                status = r.status
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn, path = connection(url + "/v1/messages")
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn, path = connection(url + "/v1/messages")
                time.sleep(0.05)
            with lock:
                log.write("%d %s\n" % (status, key))
                log.flush()
            if status == 503:
                time.sleep(0.05)

    ts = [threading.Thread(target=worker, args=(n, t, u)) for n, (t, u) in
          enumerate([x for x in nodes for _ in range(2)])]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    log.close()


def late(url, token, db, pid):
    import os
    import signal
    import sqlite3

    def post(conn, path, name):
        body = json.dumps({"template": "welcome", "to": [{"email": name + "@example.org"}]})
        try:
            conn.request("POST", path, body=body, headers={"Authorization": "Bearer " + token,
                         "Content-Type": "application/json"})
            r = conn.getresponse()
            return {"status": r.status, "body": r.read().decode("utf-8", "replace"),
                    "tenths": int((time.time() - killed) * 10)}
        except (OSError, http.client.HTTPException) as e:
            return {"status": 0, "body": repr(e), "tenths": int((time.time() - killed) * 10)}

    a_conn, path = connection(url + "/v1/messages")
    b_conn, _ = connection(url + "/v1/messages")
    b_conn.request("GET", "/healthz")
    b_conn.getresponse().read()
    holder = sqlite3.connect(db, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    out = {}
    killed = time.time() + 0.3
    ta = threading.Thread(target=lambda: out.__setitem__("a", post(a_conn, path, "a")))
    ta.start()
    time.sleep(max(0, killed - time.time()))
    os.kill(pid, signal.SIGTERM)
    tb = threading.Thread(target=lambda: (time.sleep(6.3), out.__setitem__("b", post(b_conn, path, "b"))))
    tb.start()
    time.sleep(max(0, killed + 7.8 - time.time()))
    holder.execute("ROLLBACK")
    holder.close()
    ta.join()
    tb.join()
    print(json.dumps(out))


def twins(url, token, keys, pairs, seeded):
    answers = [[None, None, None] if seeded else [None, None] for _ in range(keys)]

    def body(k, side):
        address = "other%d@example.org" % k if side == 1 and k % 10 == 9 else "twin%d@example.org" % k
        return json.dumps({"template": "welcome", "to": [{"email": address}], "data": {"n": k}})

    def worker(pair, side, barrier):
        conn, path = connection(url)

        def send(k, b):
            conn.request("POST", path, body=b, headers={"Authorization": "Bearer " + token,
                         "Content-Type": "application/json", "Idempotency-Key": "twin-%d" % k})
            r = conn.getresponse()
            data = r.read().decode("utf-8", "replace")
            return {"status": r.status, "replayed": r.getheader("Idempotent-Replayed"), "body": data}

        for k in range(pair, keys, pairs):
            if seeded and side == 1:
                answers[k][2] = send(k, body(k, 1))
            barrier.wait()
            answers[k][side] = send(k, body(k, side))
        conn.close()

    ts = []
    for p in range(pairs):
        barrier = threading.Barrier(2, timeout=60)
        ts += [threading.Thread(target=worker, args=(p, side, barrier)) for side in (0, 1)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
