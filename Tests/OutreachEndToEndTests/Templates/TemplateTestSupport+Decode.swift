import Foundation
import Outreach
import OutreachTestFixtures

extension TemplateTestSupport {
    /// Runs Tests/peers/templates_decode.py in `mode` (html, json, form) on `text`.
    static func decode(_ mode: String, _ text: String) throws -> JSON {
        let r = try TestSupport.run(
            "python3", [TestSupport.packageRoot + "/Tests/peers/templates_decode.py", mode], stdin: Array(text.utf8))
        guard r.status == 0 else { throw DecodeError(message: r.stderr) }
        return try JSON.parse(r.stdout)
    }

    struct DecodeError: Error { var message: String }
}
