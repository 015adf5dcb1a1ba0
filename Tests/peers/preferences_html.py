"""Reads a preferences page on stdin with Python's html.parser and prints what a person sees:
{"lang", "dir", "lists": [{"name": data-list, "title": its text, "action": the form's action field}],
 "forms": [{"method", "action", "inputs": {name: value}, "radios": {name: [values]}, "selects": {name: [values]},
 "buttons": [text]}], "links": [href], "text": visible text}. daemon_html.Page reads the rest of the page."""
import json
import sys

from daemon_html import Page as BasePage


class Page(BasePage):
    def __init__(self):
        super().__init__()
        self.lists = []
        self.select = None
        self.in_list_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "data-list" in a:
            self.lists.append({"name": a["data-list"], "title": "", "action": None})
        elif tag == "span" and self.lists and self.lists[-1]["action"] is None:
            self.in_list_title = True
        elif tag == "input" and self.forms and a.get("type") == "radio":
            self.forms[-1]["radios"].setdefault(a.get("name"), []).append(a.get("value"))
        elif tag == "select" and self.forms:
            self.select = a.get("name")
            self.forms[-1]["selects"][self.select] = []
        elif tag == "option" and self.select:
            self.forms[-1]["selects"][self.select].append(a.get("value"))
        else:
            super().handle_starttag(tag, attrs)
            if tag == "form":
                self.forms[-1].update({"radios": {}, "selects": {}})
            elif tag == "input" and self.forms and a.get("name") == "action" and self.lists \
                    and self.lists[-1]["action"] is None:
                self.lists[-1]["action"] = a.get("value")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "span":
            self.in_list_title = False
        super().handle_endtag(tag)

    def handle_data(self, data):
        if self.in_list_title and not self.skip:
            self.lists[-1]["title"] += data
        super().handle_data(data)


p = Page()
p.feed(sys.stdin.read())
print(json.dumps({"lang": p.lang, "dir": p.dir, "lists": p.lists, "forms": p.forms, "links": p.links,
                  "text": " ".join(" ".join(p.text).split())}))
