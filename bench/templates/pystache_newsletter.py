"""Renders the starter newsletter (subject, text, HTML) with pystache for every context line.

pystache has no template inheritance, so the layout's blocks are filled in textually first; the
rendering itself (sections, partials, escaping) is pystache's. Parsing the JSON is not timed.
"""
import json
import re
import sys
import time

import pystache
from pystache.parser import parse

root, contexts_file = sys.argv[1], sys.argv[2]


def read(p):
    return open(f"{root}/{p}", encoding="utf-8").read()


def body(text):
    if text.startswith("---\n"):
        end = text.index("\n---\n", 3)
        return text[4:end], text[end + 5:]
    return "", text


BLOCK = re.compile(r"\{\{\$(\w+)\}\}(.*?)\{\{/\1\}\}", re.S)
front, txt = body(read("newsletter/email.en.txt"))
subject = re.search(r'^subject:\s*"?(.*?)"?$', front, re.M).group(1)
child = dict(BLOCK.findall(read("newsletter/email.en.html")))
html = BLOCK.sub(lambda m: child.get(m.group(1), m.group(2)), read("layouts/email.html"))

partials_html = {"partials/footer": read("partials/footer.en.html")}
partials_txt = {"partials/footer": read("partials/footer.en.txt")}
html_renderer = pystache.Renderer(partials=partials_html, missing_tags="ignore")
text_renderer = pystache.Renderer(partials=partials_txt, escape=lambda s: s, missing_tags="ignore")
t_html, t_txt, t_subject = parse(html), parse(txt), parse(subject)

contexts = [json.loads(line) for line in open(contexts_file, encoding="utf-8") if line.strip()]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else len(contexts)
contexts = contexts[:limit]
total = 0
start = time.perf_counter()
for c in contexts:
    s = text_renderer.render(t_subject, c)
    t = text_renderer.render(t_txt, c)
    h = html_renderer.render(t_html, c)
    total += len(s.encode()) + len(t.encode()) + len(h.encode())
seconds = time.perf_counter() - start
print(f"renders={len(contexts)} seconds={seconds:.3f} per_second={int(len(contexts) / seconds)} bytes={total}")
