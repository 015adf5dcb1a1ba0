import Foundation
import Testing
@testable import Outreach

/// Issue 18 items 7 and 8, through the real binary: dates and titles are written in the language
/// of the template variant that is rendered, not in the reader's when their language has no
/// template; events and lists have titles per language, and a list's name stays a slug.
@Suite(.serialized) struct TemplateLanguageTests {
    typealias Setup = EventsCLITests.Setup

    /// Item 7: a Tigrinya reader, who falls back to the English template, reads an English date;
    /// a Pashto reader given the English SMS reads Latin digits: plain GSM-7, one segment.
    /// Failed before: "ሓሙስ፣ …" in an English mail, and Eastern Arabic digits making the SMS UCS-2
    /// (shown then with a Farsi reader; Persian has its own templates since issue 19.7).
    @Test func datesFollowTheTemplateRendered() throws {
        let s = try TemplateDataTests.setUp("lang-dates", sender: TemplateDataTests.sender)
        try s.ok(["lists", "create", "club"])
        try s.ok([
            "contacts", "add", "--email", "tsega@example.org", "--name", "Tsega", "--locale", "ti", "--tz",
            "Europe/Copenhagen", "--list", "club",
        ])
        try s.ok([
            "contacts", "add", "--phone", "+4520304050", "--name", "Gul", "--locale", "ps", "--tz",
            "Europe/Copenhagen", "--list", "club",
        ])
        let start = EventsCLITests.futureStart
        try s.ok([
            "events", "create", "dinner", "--start", start, "--tz", "Europe/Copenhagen", "--duration", "2h",
            "--list", "club", "--title", "Dinner club", "--channel", "outbox", "--channel", "texts",
        ])
        _ = try s.json(["work", "--until-idle"])
        let english = try EventUpdateTests.when(start, danish: false)
        let mail = try #require(try s.emails().first)
        let text = mail["text"]?.stringValue ?? ""
        #expect(text.contains("When: \(english)\n"), "\(text)")
        #expect(!text.unicodeScalars.contains { (0x1200...0x137F).contains($0.value) }, "no Ethiopic script: \(text)")
        let sms = try #require(try TemplateDataTests.texts(s).first).text
        #expect(sms.contains(english), "\(sms)")
        // What a GSM-7 gateway sends in one part: basic-alphabet characters only, at most 160.
        let r = try TestSupport.python(
            """
            import sys
            gsm = ("@£$¥èéùìòÇ\\nØø\\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
            t = sys.argv[1]
            print("gsm7" if all(c in gsm for c in t) else "ucs2", len(t))
            """, [sms])
        let analysis = r.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(analysis.first == "gsm7", "\(sms)")
        #expect(Int(analysis.last ?? "") ?? 999 <= 160, "one segment: \(sms)")
    }

    /// Item 8: an event's and a list's titles in the language of the message (the rendered
    /// template's: a Pashto reader without Pashto templates reads the English message with the
    /// English title; an Arabic reader reads the Arabic template with the Arabic title and, the list
    /// having no Arabic title, the list's title for every language), in the subject, the text, the
    /// footer and the ICS SUMMARY; `events show` and `lists show` list them. Failed before: a second
    /// --title replaced the first, and recipients read the list's slug ("tilmeldt dig club").
    @Test func titlesInTheLanguageOfTheMessage() throws {
        let s = try TemplateDataTests.setUp("lang-titles", sender: TemplateDataTests.sender)
        let list = try s.json([
            "lists", "create", "club", "--title", "Dinner club news", "--title", "da=Fællesspisning-nyt",
        ])
        #expect(list["title"]?.stringValue == "Dinner club news")
        #expect(list["titles"] == ["da": "Fællesspisning-nyt"])
        for (email, locale) in [
            ("ana@example.org", "da"), ("bo@example.org", "en"), ("layla@example.org", "ar"),
            ("gul@example.org", "ps"),
        ] {
            try s.ok(["contacts", "add", "--email", email, "--locale", locale, "--list", "club"])
        }
        let event = try s.json([
            "events", "create", "dinner", "--start", EventsCLITests.futureStart, "--tz", "Europe/Copenhagen",
            "--duration", "2h", "--list", "club", "--title", "Dinner club", "--title", "da=Fællesspisning",
            "--title", "ar=نادي العشاء", "--title", "ps=د ډوډۍ کلب", "--channel", "outbox",
        ])
        #expect(event["title"]?.stringValue == "Dinner club")
        #expect(event["titles"] == ["da": "Fællesspisning", "ar": "نادي العشاء", "ps": "د ډوډۍ کلب"])
        let shown = try s.ok(["events", "show", "dinner"])
        #expect(shown.contains("title da: Fællesspisning") && shown.contains("title ar: نادي العشاء"), "\(shown)")
        #expect(try s.ok(["lists", "show", "club"]).contains("title da: Fællesspisning-nyt"))

        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 4)
        for m in mails {
            let to = m["to"]?.stringValue ?? ""
            let text = m["text"]?.stringValue ?? ""
            let (subject, title, list) =
                to.contains("ana@")
                ? ("Invitation: ", "Fællesspisning", "Fællesspisning-nyt")
                : to.contains("layla@")
                    ? ("دعوة: ", "نادي العشاء", "Dinner club news")
                    : ("Invitation: ", "Dinner club", "Dinner club news")
            #expect(m["subject"]?.stringValue == subject + title, "\(to)")
            #expect(m["ics"]?["summary"]?.stringValue == title, "\(to)")
            #expect(text.contains(" \(list)") && !text.contains("for club") && !text.contains("dig club"), "\(text)")
        }

        // A language changed or removed; the title for every language stays.
        let changed = try s.json(["events", "update", "dinner", "--title", "da=", "--title", "sv=Middagsklubb"])
        #expect(changed["titles"] == ["ar": "نادي العشاء", "ps": "د ډوډۍ کلب", "sv": "Middagsklubb"])
        #expect(changed["changes"]?["fields"]?.arrayValue?.compactMap(\.stringValue) == ["title"])
        let renamed = try s.json(["lists", "update", "club", "--title", "sv=Middagsnytt"])
        #expect(renamed["titles"] == ["da": "Fællesspisning-nyt", "sv": "Middagsnytt"])
        #expect(renamed["title"]?.stringValue == "Dinner club news" && renamed["name"]?.stringValue == "club")

        // Refused with one sentence naming --title: two titles for every language, a language twice.
        for args in [
            ["lists", "create", "other", "--title", "One", "--title", "Two"],
            ["events", "update", "dinner", "--title", "da=X", "--title", "da=Y"],
            ["lists", "update", "club"],
        ] {
            let r = try TestSupport.outreachd(["--config", s.config] + args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("--title"), "\(args): \(r.stderr)")
        }
        #expect(try s.json(["lists", "list"]).arrayValue?.count == 1)
    }
}
