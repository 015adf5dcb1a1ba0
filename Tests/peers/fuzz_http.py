"""Sends raw, fuzzed HTTP requests for Tests/OutreachEndToEndTests/Fuzz (each exactly as given, on its own
connection, so malformed heads and bodies reach the server byte for byte) and reports each answer.

  fuzz_http.py HOST PORT THREADS TIMEOUT   stdin: JSON list of base64 requests
                                           prints a JSON list of {status, headers (lower-case), body}
                                           or {status: 0, error} when no HTTP answer came
"""
import base64
import concurrent.futures
import http.client
import json
import socket
import sys


def one(host, port, timeout, raw):
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        try:
            sock.sendall(raw)
        except OSError:
            pass  # the server may answer (413, 400) and close before reading everything: read that answer
        method = raw.split(b" ", 1)[0].decode("latin-1")
        r = http.client.HTTPResponse(sock, method=method)
        try:
            r.begin()
            body = r.read()
        except socket.timeout:
            return {"status": 0, "error": "no answer within %s s" % timeout}
        except (OSError, http.client.HTTPException) as e:
            return {"status": 0, "error": "%s: %s" % (type(e).__name__, e)}
        return {"status": r.status, "headers": {k.lower(): v for k, v in r.getheaders()},
                "body": body.decode("utf-8", "replace")}
    finally:
        sock.close()


def main():
    host, port, threads, timeout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    raws = [base64.b64decode(r) for r in json.load(sys.stdin)]
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda raw: one(host, port, timeout, raw), raws))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
