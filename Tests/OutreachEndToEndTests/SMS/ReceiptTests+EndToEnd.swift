import Outreach
import Testing

@Suite struct ReceiptTests {
    /// Query strings and form bodies as Python's urllib.parse.urlencode writes them.
    func encoded(_ pairs: [(String, String)]) throws -> String {
        let args = pairs.flatMap { [$0.0, $0.1] }
        let r = try TestSupport.python(
            "import sys, urllib.parse; a = sys.argv[1:]; print(urllib.parse.urlencode(list(zip(a[::2], a[1::2]))))",
            args)
        return r.stdout.trimmingCharacters(in: .newlines)
    }

    @Test(arguments: [
        ("1", Receipt.State.delivered), ("2", .failed), ("4", .pending), ("8", .pending), ("16", .failed),
    ])
    func kannelDLR(status: String, state: Receipt.State) throws {
        let fields = Receipts.formFields(
            try encoded([("id", "1234"), ("status", status), ("answer", "ACK/ id:1 done")]))
        let event = try Receipts.parse(preset: "kannel", fields: fields)
        guard case .receipt(let r) = event else { Issue.record("\(event)"); return }
        #expect(r.deliveryID == 1234)
        #expect(r.state == state)
        #expect(r.reason?.contains("ACK/ id:1 done") == true)
    }

    @Test func twilioStatusCallbacks() throws {
        let delivered = Receipts.formFields(
            try encoded([
                ("MessageSid", "SM123"), ("MessageStatus", "delivered"), ("To", "+4521436677"),
                ("AccountSid", "AC1"), ("ApiVersion", "2010-04-01"),
            ]))
        #expect(
            try Receipts.parseTwilio(delivered)
                == .receipt(
                    Receipt(
                        providerID: "SM123", state: .delivered,
                        reason: "Twilio delivered", phone: "+4521436677")))
        let failed = Receipts.formFields(
            try encoded([("MessageSid", "SM124"), ("MessageStatus", "undelivered"), ("ErrorCode", "30005")]))
        #expect(
            try Receipts.parseTwilio(failed)
                == .receipt(
                    Receipt(
                        providerID: "SM124", state: .failed,
                        reason: "Twilio undelivered (error 30005)", suppress: true)))
        let unreachable = Receipts.formFields(
            try encoded([("MessageSid", "SM125"), ("MessageStatus", "failed"), ("ErrorCode", "30003")]))
        guard case .receipt(let r) = try Receipts.parseTwilio(unreachable) else { Issue.record("no receipt"); return }
        #expect(r.state == .failed && !r.suppress)
        let sent = Receipts.formFields(try encoded([("MessageSid", "SM126"), ("MessageStatus", "sent")]))
        guard case .receipt(let s) = try Receipts.parseTwilio(sent) else { Issue.record("no receipt"); return }
        #expect(s.state == .pending)
        #expect(throws: ReceiptError.invalidField("MessageStatus", value: "exploded")) {
            try Receipts.parseTwilio(["MessageSid": "SM1", "MessageStatus": "exploded"])
        }
    }

    @Test(arguments: ["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe", "Afmeld"])
    func inboundStopSuppresses(body: String) throws {
        let fields = Receipts.formFields(
            try encoded([
                ("MessageSid", "SM9"), ("From", "+45 21 43 66 77"), ("To", "+4512345678"),
                ("Body", body), ("SmsStatus", "received"),
            ]))
        let event = try Receipts.parse(preset: "twilio", fields: fields)
        #expect(
            event
                == .suppression(
                    SuppressionRequest(
                        phone: "+4521436677",
                        keyword: body.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)).uppercased())))
    }

    @Test func formFieldsDecodesPlusAndPercent() throws {
        let fields = Receipts.formFields(try encoded([("Body", "a+b c&d=é"), ("empty", "")]))
        #expect(fields == ["Body": "a+b c&d=é", "empty": ""])
    }
}
