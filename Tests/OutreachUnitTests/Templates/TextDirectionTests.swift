import Testing

@testable import Outreach

@Suite("Text direction")
struct TextDirectionTests {
    @Test(
        "right-to-left languages and scripts, in any spelling of the tag",
        arguments: [
            "ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "ar-EG", "fa_IR", "AR", "he-IL", "az-Arab", "pa-Arab",
            "fa-1901",
        ])
    func rightToLeft(_ tag: String) {
        #expect(TextDirection(locale: tag) == .rtl)
        #expect(TextDirection(locale: tag).startSide == "right")
    }

    @Test(
        "everything else is left to right, an empty or odd tag too",
        arguments: [
            "en", "da", "sv", "de", "it", "el", "pt-BR", "zh-Hant", "ar-Latn", "", "x", "en-1901",
        ])
    func leftToRight(_ tag: String) {
        #expect(TextDirection(locale: tag) == .ltr)
        #expect(TextDirection(locale: tag).startSide == "left")
    }

    @Test("a template sees lang, dir and align of the variant's locale; they win over data of the same name")
    func builtins() throws {
        let t = try Template(source: "{{lang}} {{dir}} {{align}}", file: "t", escaping: .none)
        let data: JSON = ["lang": "xx", "dir": "sideways"]
        #expect(try t.render(data, builtins: TextDirection.builtins(locale: "fa")) == "fa rtl right")
        #expect(try t.render(data) == "xx sideways ")
    }

    @Test("a pt-BR reader who gets the Arabic variant by fallback gets its direction, not the reader's")
    func variantLocale() throws {
        let lib = try TemplateLibrary(directory: TestSupport.packageRoot + "/templates", defaultLocale: "ar")
        let r = try lib.render("welcome", kind: .email, locale: "pt-BR", context: ["organisation": "X"])
        #expect(r.locale == "ar")
        #expect(r.html?.contains("<html lang=\"ar\" dir=\"rtl\">") == true)
    }
}
