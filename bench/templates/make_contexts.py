"""Writes N template contexts (one JSON object per line) for the newsletter benchmark."""
import json
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(42)
first = ["Ana", "Mette", "Ahmad", "Søren", "Åsa", "Fatima", "Jonas", "Li", "Björn", "Zeynep", "Olumide", "Ærø"]
last = ["Lima", "Holm", "Rahimi", "Jørgensen", "Lindqvist", "Hassan", "Berg", "Wei", "O'Neil", "Kaya", "Adeyemi", "<Test & Co>"]
items = [{"title": "New dinner club in Gellerup", "text": "Every Tuesday from 18:00 we cook and eat together – everyone is welcome.", "link": "https://example.org/gellerup"},
         {"title": "Information evening: the school system", "text": "How Danish schools work, with interpreters in Arabic, Somali and Ukrainian.", "link": "https://example.org/school"},
         {"title": "Mentors wanted", "text": "Give two hours a month and help a newcomer find their feet.", "link": "https://example.org/mentors"},
         {"title": "Thank you, volunteers", "text": "Forty volunteers cooked for 600 guests this winter."}]
with open(out, "w") as f:
    for i in range(n):
        fn, ln = rng.choice(first), rng.choice(last)
        ctx = {
            "organisation": "Sprogcenter Aarhus",
            "title": "News from the dinner clubs",
            "intro": "Spring is here, and so are three new dinner clubs. Here is what is happening in March.",
            "items": items,
            "web_url": "https://example.org/newsletter/12",
            "contact": {"name": f"{fn} {ln}", "first_name": fn, "email": f"user{i}@example.org", "locale": "en",
                        "attributes": {"role": rng.choice(["mentor", "member", "partner"])}},
            "list": {"name": "Dinner club news"},
            "unsubscribe_url": f"https://outreach.example.org/unsubscribe/{i:08x}{rng.getrandbits(64):016x}",
        }
        f.write(json.dumps(ctx, ensure_ascii=False) + "\n")
