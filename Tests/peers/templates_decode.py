"""Independent decoding of rendered template output, for the template tests.

usage: templates_decode.py html|json|form  < rendered
  html: parses with html.parser; prints {"attrs": {attr: value…}, "text": "<all text data>",
        "hrefs": [...], "unbalanced": [...], "dirs": [[tag, dir, lang]…]} (attribute values and
        text come back unescaped; "dirs" lists every element that has a dir attribute)
  json: prints the document parsed by the json module, re-serialized
  form: prints parse_qs of the body as JSON
"""
import html.parser
import json
import sys
import urllib.parse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs = {}
        self.text = []
        self.hrefs = []
        self.stack = []
        self.unbalanced = []
        self.dirs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "dir" in a:
            self.dirs.append([tag, a["dir"], a.get("lang")])
        for k, v in attrs:
            self.attrs.setdefault(k, v)
            if k == "href":
                self.hrefs.append(v)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.unbalanced.append(tag)

    def handle_data(self, data):
        self.text.append(data)


mode = sys.argv[1]
data = sys.stdin.buffer.read().decode("utf-8")
if mode == "html":
    c = Collector()
    c.feed(data)
    c.close()
    print(json.dumps({"attrs": c.attrs, "text": "".join(c.text), "hrefs": c.hrefs,
                      "unbalanced": c.unbalanced + c.stack, "dirs": c.dirs}))
elif mode == "json":
    print(json.dumps(json.loads(data)))
elif mode == "form":
    print(json.dumps(urllib.parse.parse_qs(data, keep_blank_values=True, strict_parsing=True)))
else:
    sys.exit("unknown mode " + mode)
