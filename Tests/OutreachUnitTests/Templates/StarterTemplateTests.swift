import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// The starter folder in process; `StarterTemplateTests+EndToEnd` previews through the binary and
/// compares with pystache.
@Suite("Starter templates")
struct StarterTemplateTests {
    static let names = StarterTemplates.names
    static let locales = StarterTemplates.locales
    static func library() throws -> TemplateLibrary { try StarterTemplates.library() }
    static let context = StarterTemplates.context

    @Test("the starter folder passes check")
    func check() throws {
        let problems = try Self.library().check()
        #expect(problems.isEmpty, Comment(rawValue: problems.map(\.description).joined(separator: "\n")))
    }

    @Test("every starter template has email, SMS and chat in every shipped language")
    func complete() throws {
        let lib = try Self.library()
        #expect(lib.names == Self.names)
        for n in Self.names {
            for k in [ChannelKind.email, .sms, .chat] {
                #expect(Set(lib.locales(of: n, kind: k)).isSuperset(of: Self.locales), "\(n) \(k)")
            }
        }
    }

    @Test("a locale without its own files falls back: pt-BR gets the default locale")
    func fallback() throws {
        let lib = try TemplateLibrary(directory: TestSupport.packageRoot + "/templates", defaultLocale: "da")
        #expect(try lib.render("welcome", kind: .email, locale: "pt-BR", context: Self.context).locale == "da")
        #expect(try lib.render("welcome", kind: .email, locale: "sv-FI", context: Self.context).locale == "sv")
    }

    @Test("SMS and chat render in each language, without unrendered tags", arguments: names)
    func shortForms(_ name: String) throws {
        let lib = try Self.library()
        for l in Self.locales {
            for k in [ChannelKind.sms, .chat] {
                let r = try lib.render(name, kind: k, locale: l, context: Self.context)
                #expect(r.locale == l)
                #expect(!r.text.isEmpty && !r.text.contains("{{"), "\(name) \(k) \(l)")
                if k == .sms {
                    #expect(!r.text.hasSuffix("\n"))
                    let sms = SMSText.analyze(r.text)
                    #expect(sms.segments <= 2, "\(name) \(l): \(sms.segments) \(sms.encoding.rawValue) segments")
                }
            }
        }
    }
}
