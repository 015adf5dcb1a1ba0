"""Reads an HTML page on stdin with Python's html.parser and prints what a browser would see:
{"lang": <html lang>, "dir": <html dir>, "forms": [{"method", "action", "inputs": {name: value}, "buttons": [text]}],
 "links": [href], "text": visible text}."""
import html.parser
import json
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.dir = None
        self.forms = []
        self.links = []
        self.text = []
        self.in_button = False
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
            self.dir = a.get("dir")
        elif tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "action": a.get("action"), "inputs": {}, "buttons": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"][a.get("name")] = a.get("value")
        elif tag == "button" and self.forms:
            self.in_button = True
            self.forms[-1]["buttons"].append("")
        elif tag == "a":
            self.links.append(a.get("href"))
        elif tag in ("style", "script", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "button":
            self.in_button = False
        elif tag in ("style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_button:
            self.forms[-1]["buttons"][-1] += data
        self.text.append(data)


if __name__ == "__main__":
    p = Page()
    p.feed(sys.stdin.read())
    print(json.dumps({"lang": p.lang, "dir": p.dir, "forms": p.forms, "links": p.links, "text": " ".join(" ".join(p.text).split())}))
