import Foundation
import Outreach
import Testing

/// Review of issue 15 (helper g) through `outreachd serve`; each fails on 23b641f.
@Suite(.serialized)
struct ReviewGConsentDaemonTests {
    /// A contact's email changed (an import matched them by phone). The one-click link in the mail
    /// they got before carries the old address: POSTing it answers "You are unsubscribed" but
    /// changes nothing (API+Links: `contact(matching: t.address)` is nil, and a list that exists
    /// then records no suppression either). The person keeps getting the list at the new address.
    @Test func reviewG_oneClickFromAnOlderMailStillUnsubscribesAfterAnEmailChange() throws {
        let d = try DaemonHarness()
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(
            try d.cli([
                "contacts", "add", "--email", "ana@example.org", "--phone", "+4520000010", "--name", "Ana",
                "--list", "news",
            ]).status == 0)
        // The link as the composer put it in last month's newsletter to ana@example.org (it names
        // the contact, as every link made for a contact's delivery does).
        let ana = try #require(
            try JSON.parse(try d.cli(["contacts", "show", "ana@example.org", "--json"]).stdout)["id"]?.intValue)
        let old = try DaemonLinkTests.signer(d).unsubscribeURL(
            list: "news", address: "ana@example.org", contactID: Int64(ana))
        // Ana's new address arrives with the CRM export; the import matches her by phone.
        try "email,phone\nana.new@example.org,+4520000010\n".write(
            toFile: d.dir + "/crm.csv", atomically: true, encoding: .utf8)
        #expect(try d.cli(["contacts", "import", d.dir + "/crm.csv"]).status == 0)
        try d.start()
        let r = try d.send([
            "method": "POST", "path": .string(String(old.dropFirst(d.base.count))),
            "form": ["List-Unsubscribe": "One-Click"],
        ])
        #expect(r.status == 200)
        let state = try DaemonLinkTests.membership(d, "+4520000010", "news")
        #expect(state == "unsubscribed", "the page said 'unsubscribed' but Ana is still \(state ?? "nil") on news")
        d.stop()
    }

    /// The public form matches an existing contact by email, then by phone, and sends the
    /// confirmation to the form's email with that contact's data. A stranger who types their own
    /// email and someone else's phone number gets a mail addressed with that person's name.
    @Test func reviewG_theSignUpFormDoesNotMailAnotherPersonsNameToTheFormsAddress() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "100/m""#)
        #expect(try d.cli(["lists", "create", "club", "--double-opt-in"]).status == 0)
        #expect(
            try d.cli([
                "contacts", "add", "--email", "victoria@example.org", "--phone", "+4520000011",
                "--name", "Victoria Qwertyson",
            ]).status == 0)
        try d.start()
        let r = try d.send([
            "method": "POST", "path": "/v1/lists/club/subscribe",
            "form": ["email": "stranger@example.org", "phone": "+4520000011"],
        ])
        #expect(r.status == 202, "\(r.body)")
        let mail = try ConsentDaemonTests.outbox(d, atLeast: 1)[0]
        let text = try String(contentsOfFile: mail, encoding: .utf8)
        #expect(text.contains("stranger@example.org"))
        #expect(
            !text.contains("Victoria") && !text.contains("Qwertyson"),
            "a stranger's address got a mail carrying another contact's name:\n\(text.prefix(600))")
        d.stop()
    }
}
