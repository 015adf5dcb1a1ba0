import Foundation

/// An `Accept-Language` header (or a single locale) read as language tags, best first.
enum AcceptLanguage {
    /// The tags lowercased, ordered by their `q` (ties keep the header's order); `q=0` is left out.
    static func ranked(_ header: String) -> [String] {
        let parts = header.split(separator: ",").enumerated().map { index, part -> (String, Double, Int) in
            let pieces = part.split(separator: ";")
            let tag = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let q =
                pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            return (tag.replacingOccurrences(of: "_", with: "-"), q, index)
        }
        return parts.filter { !$0.0.isEmpty && $0.1 > 0 }.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.map(\.0)
    }
}
