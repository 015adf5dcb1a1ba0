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
}
