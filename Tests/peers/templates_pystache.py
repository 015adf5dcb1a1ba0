"""Renders template files with pystache, as an independent Mustache implementation.

stdin: {"jobs": [{"source": "...", "partials": {"name": "source"}, "context": {...}, "escape": "none"|"html"}]}
stdout: JSON list of rendered strings, one per job.
"""
import html
import json
import sys

import pystache

req = json.load(sys.stdin)
out = []
for job in req["jobs"]:
    escape = (lambda s: s) if job.get("escape", "none") == "none" else (lambda s: html.escape(s, quote=True))
    r = pystache.Renderer(partials=job.get("partials", {}), escape=escape, missing_tags="ignore")
    out.append(r.render(job["source"], job["context"]))
print(json.dumps(out))
