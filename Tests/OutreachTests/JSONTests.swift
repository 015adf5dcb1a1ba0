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
}
