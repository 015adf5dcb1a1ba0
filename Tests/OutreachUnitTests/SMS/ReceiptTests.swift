import Foundation
import Outreach
import OutreachTestFixtures
import Testing

@Suite struct ReceiptTests {
    @Test func inboundOtherTextIsIgnored() throws {
        let event = try Receipts.parseTwilio(["From": "+4521436677", "Body": "Stop by tomorrow?"])
        guard case .ignored = event else { Issue.record("\(event)"); return }
        let kannelStop = try Receipts.parseKannel(["from": "21436677", "text": "stop"], defaultCountry: "DK")
        #expect(kannelStop == .suppression(SuppressionRequest(phone: "+4521436677", keyword: "STOP")))
    }

    /// The word a starter SMS tells people to reply must stop their messages: the Swedish SMS said
    /// "Svara STOPP" while STOPP was not a stop word, so that reply did nothing.
    @Test func everyStopWordTheStarterSMSNameStopsMessages() throws {
        let root = FixturePaths.packageRoot + "/templates"
        var named: [String: String] = [:]
        for name in StarterTemplates.names {
            for file in try FileManager.default.contentsOfDirectory(atPath: root + "/" + name)
            where file.hasPrefix("sms.") {
                let text = try String(contentsOfFile: root + "/" + name + "/" + file, encoding: .utf8)
                for word in text.split(whereSeparator: { !$0.isLetter }) where word.uppercased().hasPrefix("STOP") {
                    named[String(word)] = name + "/" + file
                }
            }
        }
        #expect(!named.isEmpty)
        for (word, file) in named {
            #expect(Receipts.stopKeyword(in: " \(word.lowercased()). ") != nil, "\(file) names \(word)")
        }
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
