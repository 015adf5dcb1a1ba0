import Foundation
import Testing

@testable import Outreach

/// Issue 19.5: one campaign serves every language — per-language values in `--data` are written
/// in the language of the template variant each recipient gets. Through the real binary, to
/// aiosmtpd, each message read by Python's `email`.
@Suite struct CampaignLanguagesTests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    /// The starter templates, an SMTP channel, a list `news` of three: English, Danish and Arabic
    /// (the Arabic template, with no Arabic values: the English ones).
    func setUp(_ server: SMTPServer, _ label: String) throws -> (dir: String, config: String) {
        let dir = TestSupport.temporaryDirectory(label)
        let config = try CampaignPreviewTests.smtpConfig(dir, server)
        try "email,name,locale\nemma@example.org,Emma,en\nanna@example.dk,Anna,da\namal@example.org,Amal,ar\n"
            .write(toFile: dir + "/people.csv", atomically: true, encoding: .utf8)
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        let imported = try o(config, ["contacts", "import", dir + "/people.csv", "--list", "news"])
        #expect(imported.status == 0, "\(imported.stderr)")
        return (dir, config)
    }

    @Test func oneCampaignWritesEachRecipientInTheirLanguage() throws {
        let server = try SMTPServer()
        let (dir, config) = try setUp(server, "camplang")
        try """
        {"title": {"en": "Spring news", "da": "Forårsnyt"},
         "intro": {"en": "What we did this spring.", "da": "Hvad vi lavede i foråret."},
         "organisation": "Erasmus Office", "items": [{"title": {"en": "Kick-off", "da": "Opstart"}, "text": "Rome"}],
         "order": {"id": "A17"}}
        """.write(toFile: dir + "/data.json", atomically: true, encoding: .utf8)
        let create = try o(
            config,
            [
                "campaigns", "create", "spring", "--template", "newsletter", "--list", "news", "--channel", "email",
                "--data", dir + "/data.json",
            ])
        #expect(create.status == 0, "\(create.stderr)")
        #expect(try o(config, ["campaigns", "start", "spring"]).status == 0)
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        try TestSupport.waitFor("three messages") { server.messages().count == 3 }
        var byAddress: [String: (subject: String, text: String)] = [:]
        for raw in server.messages() {
            let m = try MIMEBuilderTests.parse(raw)
            let to = m["to"]?.arrayValue?.first?.arrayValue?.last?.stringValue ?? "?"
            let text = m["parts"]?.arrayValue?.first { $0["type"] == "text/plain" }?["text"]?.stringValue ?? ""
            byAddress[to] = (m["subject"]?.stringValue ?? "", text)
        }
        let da = try #require(byAddress["anna@example.dk"], "\(byAddress)")
        #expect(da.subject == "Forårsnyt" && da.text.contains("Hvad vi lavede i foråret."), "\(da)")
        #expect(da.text.contains("Opstart") && !da.text.contains("Kick-off"), "\(da.text)")
        for english in ["emma@example.org", "amal@example.org"] {
            let m = try #require(byAddress[english], "\(byAddress)")
            #expect(m.subject == "Spring news" && m.text.contains("What we did this spring."), "\(english): \(m)")
            #expect(m.text.contains("Kick-off") && !m.text.contains("Opstart"), "\(english): \(m.text)")
        }
    }

    /// Values for Danish and Swedish only: the English and Arabic readers have neither their own
    /// nor the default's, so the campaign is refused naming the value and the language, and nothing is stored.
    @Test func aLanguageWithoutAValueOrFallbackIsRefused() throws {
        let server = try SMTPServer()
        let (dir, config) = try setUp(server, "camplangmiss")
        try #"{"title": {"da": "Forårsnyt", "sv": "Vårnytt"}, "intro": "x", "items": []}"#
            .write(toFile: dir + "/data.json", atomically: true, encoding: .utf8)
        let create = try o(
            config,
            [
                "campaigns", "create", "spring", "--template", "newsletter", "--list", "news", "--channel", "email",
                "--data", dir + "/data.json",
            ])
        #expect(create.status == 1, "\(create.stdout)")
        // The first language of the audience that cannot render is named: Arabic, which has a template.
        #expect(
            create.stderr.contains("'title' has no ar or en (the default language) text, only da, sv"),
            "\(create.stderr)")
        #expect(create.stderr.contains("add an \"en\" value"), "\(create.stderr)")
        #expect(create.stderr.contains("does not render for ") && !create.stderr.contains(".."), "\(create.stderr)")
        let list = try o(config, ["campaigns", "list"])
        #expect(!list.stdout.contains("spring"), "\(list.stdout)")
        // A send to one Danish reader has its value and goes.
        let send = try o(config, ["send", "newsletter", "--to", "anna@example.dk", "--data", dir + "/data.json"])
        #expect(send.status == 0, "\(send.stderr)")
        // To the Arabic reader it is refused the same way, naming her language and the default.
        let ar = try o(config, ["send", "newsletter", "--to", "amal@example.org", "--data", dir + "/data.json"])
        #expect(
            ar.status == 1 && ar.stderr.contains("'title' has no ar or en (the default language) text"), "\(ar.stderr)")
    }
}

/// `POST /v1/messages` takes per-language data too, and refuses (422, nothing queued) a value that
/// has neither a recipient's language nor the default.
@Suite struct APILanguagesTests {
    @Test func theAPIRefusesAValueMissingForARecipientsLanguage() throws {
        let d = try DaemonHarness()
        try d.start()
        func body(_ locale: String, _ x: String) -> JSON {
            d.trigger(
                #"{"template":"welcome","to":[{"email":"\#(locale)@example.org","locale":"\#(locale)"}],"#
                    + #""data":{"x":\#(x)}}"#)
        }
        let rs = try d.send([
            body("da", #"{"da":"Hej","sv":"Hej"}"#), body("ar", #"{"da":"Hej","sv":"Hej"}"#),
            body("ar", #"{"en":"Hi","da":"Hej"}"#),
        ])
        #expect(rs[0].status == 202, "\(rs[0])")
        #expect(
            rs[1].status == 422 && rs[1].error.hasPrefix("data: The data value 'x' has no ar or en (the default"),
            "\(rs[1])")
        #expect(rs[2].status == 202, "\(rs[2])")
        #expect(try d.queueCounts()["total"]?.intValue == 2)
        #expect(d.stop().status == 0)
    }
}
