"""Reads a preferences page on stdin with Python's html.parser and prints what a person sees:
{"lang", "dir", "lists": [{"name": data-list, "title": its text, "action": the form's action field}],
 "forms": [{"method", "inputs": {name: value}, "radios": {name: [values]}, "selects": {name: [values]},
 "buttons": [text]}], "text": visible text}."""
import html.parser
import json
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.dir = None
        self.forms = []
        self.lists = []
        self.text = []
        self.select = None
        self.in_button = False
        self.in_list_title = False
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang, self.dir = a.get("lang"), a.get("dir")
        elif tag == "div" and "data-list" in a:
            self.lists.append({"name": a["data-list"], "title": "", "action": None})
        elif tag == "span" and self.lists and self.lists[-1]["action"] is None:
            self.in_list_title = True
        elif tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "inputs": {}, "radios": {},
                               "selects": {}, "buttons": []})
        elif tag == "input" and self.forms:
            f = self.forms[-1]
            if a.get("type") == "radio":
                f["radios"].setdefault(a.get("name"), []).append(a.get("value"))
            else:
                f["inputs"][a.get("name")] = a.get("value")
                if a.get("name") == "action" and self.lists and self.lists[-1]["action"] is None:
                    self.lists[-1]["action"] = a.get("value")
        elif tag == "select" and self.forms:
            self.select = a.get("name")
            self.forms[-1]["selects"][self.select] = []
        elif tag == "option" and self.select:
            self.forms[-1]["selects"][self.select].append(a.get("value"))
        elif tag == "button" and self.forms:
            self.in_button = True
            self.forms[-1]["buttons"].append("")
        elif tag in ("style", "script", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "button":
            self.in_button = False
        elif tag == "select":
            self.select = None
        elif tag == "span":
            self.in_list_title = False
        elif tag in ("style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_button:
            self.forms[-1]["buttons"][-1] += data
        if self.in_list_title:
            self.lists[-1]["title"] += data
        self.text.append(data)


p = Page()
p.feed(sys.stdin.read())
print(json.dumps({"lang": p.lang, "dir": p.dir, "lists": p.lists, "forms": p.forms,
                  "text": " ".join(" ".join(p.text).split())}))
