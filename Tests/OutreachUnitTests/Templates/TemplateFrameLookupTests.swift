import Testing

@testable import Outreach

/// Small frames are searched by comparing keys instead of hashing: the answer must be the
/// dictionary's, for canonically equivalent spellings of a name too, and the context stack's
/// order (innermost frame first, built-ins above the data) must not change with a frame's size.
@Suite struct TemplateFrameLookupTests {
    @Test func smallFramesAnswerAsTheDictionary() {
        let composed = "caf\u{E9}"  // é as one scalar
        let decomposed = "cafe\u{301}"  // e and a combining accent: the same String
        for size in 0...7 {
            var o: [String: JSON] = [:]
            for i in 0..<size { o["k\(i)"] = .string("v\(i)") }
            o[composed] = "accent"
            for key in [composed, decomposed, "cafe", "k0", "k6", "", "K0"] {
                #expect(TemplateRenderer.value(of: key, in: o) == o[key], "\(key) in \(o.count) keys")
            }
        }
    }

    @Test func innerFramesShadowOuterOnesWhateverTheirSize() throws {
        let t = try Template(
            source: "{{#items}}{{name}}/{{outer}}/{{caf\u{E9}}};{{/items}}", file: "t", escaping: .none)
        for innerSize in [1, 3, 4, 5, 9] {
            var item: [String: JSON] = ["name": "inner"]
            for i in 1..<innerSize { item["pad\(i)"] = "x" }
            let context: JSON = [
                "name": "outer-name", "outer": "o", "cafe\u{301}": "data-accent",
                "items": .array([.object(item), .object(item.merging(["name": .null]) { $1 })]),
            ]
            // `null` in the inner frame still shadows: the key is there.
            #expect(try t.render(context) == "inner/o/data-accent;/o/data-accent;", "inner frame of \(innerSize)")
        }
    }

    @Test func builtinsWinOverTheData() throws {
        let t = try Template(source: "{{a}}{{b}}", file: "t", escaping: .none)
        for extra in [0, 6] {
            var builtins: [String: JSON] = ["a": "B"]
            for i in 0..<extra { builtins["z\(i)"] = "z" }
            #expect(try t.render(["a": "D", "b": "d"], builtins: .object(builtins)) == "Bd")
        }
    }
}
