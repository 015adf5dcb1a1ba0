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
}

@Suite struct CryptoTests {
    @Test func base64URLMatchesPython() throws {
        for n in [0, 1, 2, 3, 4, 5, 31, 32, 33] {
            let bytes = Crypto.randomBytes(n)
            let py = try TestSupport.python("import sys, base64; print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip('='))", stdin: bytes)
            #expect(Crypto.base64URL(bytes) == py.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(Crypto.base64URLDecode(Crypto.base64URL(bytes)) == bytes)
        }
    }
}
