import Testing

@testable import Outreach

/// `firstName` finds the first word without splitting the rest: the same word `split` found,
/// for leading, repeated and only spaces, and a space that carries a combining mark (not a space).
@Suite struct ContactFirstNameTests {
    @Test func theFirstWordAsSplitFoundIt() {
        let names: [String?] = [
            nil, "", " ", "   ", "Ana", " Ana", "  Ana  Dal ", "Ana Dal", "Søren\u{A0}Dal", "a \u{301}b", " \u{301}x y",
            "\tAna Dal", "Ana\u{301} Dal", "🙂 x",
        ]
        for name in names {
            let reference = name.flatMap { $0.split(separator: " ").first.map(String.init) }
            #expect(Contact(email: "a@example.org", name: name).firstName == reference, "\(name.debugDescription)")
        }
    }
}
