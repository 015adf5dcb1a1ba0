import Foundation
import Testing
@testable import Outreach

@Suite struct JSONTests {
    @Test func numbersKeepTheirText() throws {
        let v = try JSON.parse(#"{"a": 1.21, "b": 85, "c": [true, null, "x\u00e6\n"]}"#)
        #expect(v["a"] == .number("1.21"))
        #expect(v["b"] == .number("85"))
        #expect(v["c"] == .array([.bool(true), .null, .string("xæ\n")]))
        #expect(v.serialized == #"{"a":1.21,"b":85,"c":[true,null,"xæ\n"]}"#)
    }

    @Test func errorsCarryTheOffset() {
        #expect(throws: JSONError.self) { try JSON.parse("{\"a\": }") }
        do { _ = try JSON.parse("[1,]"); Issue.record("no error") } catch { #expect(error.offset == 3) }
    }

    @Test func readerWalksMembersInTextOrder() throws {
        var r = JSONReader(bytes: Array(#" {"b": [1, {"x": 2}], "a": "s\u00e6", "b": null} "#.utf8))
        #expect(r.peek() == UInt8(ascii: "{"))
        var seen: [(String, JSON)] = []
        try r.readMembers(depth: 0) { k, r throws(JSONError) in seen.append((k, try r.value(depth: 1))) }
        try r.end()
        #expect(seen.map(\.0) == ["b", "a", "b"])
        #expect(seen[0].1 == [1, ["x": 2]])
        #expect(seen[1].1 == "sæ")
        #expect(seen[2].1 == .null)
        // A repeated key: the tree keeps the last value, as a walk that overwrites does.
        #expect(try JSON.parse(#"{"b": 1, "b": 2}"#)["b"] == 2)
    }

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
