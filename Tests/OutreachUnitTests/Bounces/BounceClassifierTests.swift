import Testing

@testable import Outreach

/// The classification table of docs/bounces.md, row by row.
@Suite struct BounceClassifierTests {
    @Test(arguments: [
        ("5.1.1", "", BounceKind.hard),
        ("5.1.10", "", .hard),
        ("5.1.2", "", .hard),
        ("5.4.4", "", .hard),
        ("5.0.0", "", .hard),
        ("5.2.1", "mailbox disabled", .hard),
        ("5.2.2", "", .soft),
        ("5.2.3", "", .soft),
        ("5.3.4", "", .soft),
        ("5.7.1", "blocked using zen.spamhaus.org", .soft),
        ("5.7.26", "unauthenticated email is not accepted (DMARC)", .soft),
        ("5.7.1", "recipient address rejected: user unknown", .hard),
        ("5.0.0", "mailbox full", .soft),
        ("5.5.0", "blocked by policy", .soft),
        ("5.1.1", "mailbox full", .hard),
        ("4.2.2", "", .soft),
        ("4.4.1", "user unknown", .soft),
        ("4.7.1", "greylisted", .soft),
    ])
    func statusFirst(_ status: String, _ text: String, _ kind: BounceKind) {
        #expect(BounceClassifier.kind(status: status, diagnostic: text) == kind)
    }

    @Test(arguments: [
        ("User unknown", BounceKind.hard),
        ("no such user here", .hard),
        ("Requested action not taken: mailbox unavailable", .hard),
        ("This user doesn't have a yahoo.com account", .hard),
        ("Mailbox quota exceeded", .soft),
        ("mailbox full", .soft),
        ("user is over quota", .soft),
        ("550 sorry", .hard),
        ("451 try later", .soft),
        ("something odd happened", .unknown),
        ("", .unknown),
    ])
    func textSecondThenTheBasicCode(_ text: String, _ kind: BounceKind) {
        #expect(BounceClassifier.kind(status: nil, diagnostic: text) == kind)
    }

    @Test(
        arguments: [
            ("smtp; 550 5.1.1 <a@b.example>: user unknown", "5.1.1"),
            ("<host #5.1.1>", "5.1.1"),
            ("550-5.1.1 The email account", "5.1.1"),
            ("Status: 5.2.2.", "5.2.2"),
            ("5.1.10 RESOLVER", "5.1.10"),
            ("host 192.0.2.44 said", nil),
            ("version 4.94.2", nil),
            ("25.5.1.2", nil),
            ("5.1", nil),
        ] as [(String, String?)])
    func enhancedStatusIsFoundStandingAlone(_ text: String, _ status: String?) {
        #expect(BounceClassifier.enhancedStatus(in: text) == status)
    }
}
