import Foundation
import Testing

@testable import Outreach

/// The JSON reader and tree against Python's json module.
@Suite struct JSONTests {
    /// Which texts are JSON is Python's json module's call; the walk and the tree must agree with
    /// it and with each other, down to the offset of an error.
    @Test func readerAndTreeAgreeWithPython() throws {
        let texts = [
            #"{"a": 1}"#, #"{"a": }"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1 "b":2}"#, #"{"a":[1 2]}"#,
            #"{"a":1} x"#, "{", #"{"a":[1,{"b":[]}],"c":{"d":"e\n"}}"#, #"{"a":tru}"#, #"{"a":-}"#,
            #"{"a":"\x"}"#, #"{1:2}"#, #"{"a":[}"#, #"{"a":1.5e3,"b":-0}"#, "{\"a\":\"\u{1}\"}",
        ]
        let py = try TestSupport.python(
            """
            import sys, json
            for line in sys.stdin.read().split("\\0"):
                try: json.loads(line); print("ok")
                except ValueError: print("error")
            """, stdin: Array(texts.joined(separator: "\0").utf8))
        let verdicts = py.stdout.split(separator: "\n").map(String.init)
        #expect(verdicts.count == texts.count)
        for (text, verdict) in zip(texts, verdicts) {
            var treeError: JSONError?
            do { _ = try JSON.parse(text) } catch { treeError = error }
            var walkError: JSONError?
            do {
                var r = JSONReader(bytes: Array(text.utf8))
                #expect(r.peek() == UInt8(ascii: "{"))
                try r.readMembers(depth: 0) { _, r throws(JSONError) in _ = try r.value(depth: 1) }
                try r.end()
            } catch { walkError = error }
            #expect((treeError == nil) == (verdict == "ok"), "\(text): Python says \(verdict)")
            #expect(treeError == walkError, "\(text)")
        }
    }
}

@Suite struct CryptoTests {
    @Test func base64URLMatchesPython() throws {
        for n in [0, 1, 2, 3, 4, 5, 31, 32, 33] {
            let bytes = Crypto.randomBytes(n)
            let py = try TestSupport.python(
                "import sys, base64; print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip('='))",
                stdin: bytes)
            #expect(Crypto.base64URL(bytes) == py.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(Crypto.base64URLDecode(Crypto.base64URL(bytes)) == bytes)
        }
    }
}
