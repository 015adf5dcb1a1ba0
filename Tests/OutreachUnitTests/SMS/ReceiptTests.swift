import Outreach
import Testing

@Suite struct ReceiptTests {
    @Test func inboundOtherTextIsIgnored() throws {
        let event = try Receipts.parseTwilio(["From": "+4521436677", "Body": "Stop by tomorrow?"])
        guard case .ignored = event else { Issue.record("\(event)"); return }
        let kannelStop = try Receipts.parseKannel(["from": "21436677", "text": "stop"], defaultCountry: "DK")
        #expect(kannelStop == .suppression(SuppressionRequest(phone: "+4521436677", keyword: "STOP")))
    }

    @Test func kannelErrors() {
        #expect(throws: ReceiptError.missingField("id")) { try Receipts.parseKannel(["status": "1"]) }
        #expect(throws: ReceiptError.invalidField("status", value: "3")) {
            try Receipts.parseKannel(["id": "1", "status": "3"])
        }
        #expect(throws: ReceiptError.invalidField("id", value: "x")) {
            try Receipts.parseKannel(["id": "x", "status": "1"])
        }
    }
}
