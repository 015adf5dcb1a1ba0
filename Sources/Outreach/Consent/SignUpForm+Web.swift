import Foundation

extension SignUpForm {
    /// Whether the client is a browser posting a form that wants a page back: `Accept` names
    /// `text/html` and ranks it above `application/json` (or lacks JSON). Everything else, no
    /// `Accept` included, gets JSON as API clients always have.
    public static func prefersHTML(accept: String?) -> Bool {
        guard let accept else { return false }
        var html: Double?
        var json: Double?
        for part in accept.split(separator: ",") {
            let pieces = part.split(separator: ";")
            let type = pieces.first.map { $0.trimmingSpaces.lowercased() } ?? ""
            let q = quality(pieces.dropFirst())
            if type == "text/html" || type == "application/xhtml+xml" { html = max(html ?? 0, q) }
            if type == "application/json" { json = max(json ?? 0, q) }
        }
        guard let h = html, h > 0 else { return false }
        return json.map { h > $0 } ?? true
    }

    /// The fields of a form body: `application/x-www-form-urlencoded` or `multipart/form-data`
    /// (its parts' names and text values; file parts are skipped). Nil for another media type.
    public static func formFields(body: [UInt8], contentType: String?) -> [String: String]? {
        let type = ContentType.parse(contentType)
        switch type.mediaType {
        case "application/x-www-form-urlencoded":
            return Receipts.formFields(String(decoding: body, as: UTF8.self))
        case "multipart/form-data":
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else { return [:] }
            var out: [String: String] = [:]
            for range in MIMEEntity.partRanges(body, boundary: Array(boundary.utf8)).prefix(MIMEEntity.maxParts) {
                let (headers, end) = MessageHeaders.read(Array(body[range]))
                // `form-data; name="email"`: read with the Content-Type parser for its parameters.
                let field = headers.first("content-disposition") ?? ""
                let disposition = ContentType.parse(field)
                guard ContentType.splitParameters(field).first?.trimmingSpaces.lowercased() == "form-data",
                    let name = disposition.parameters["name"],
                    disposition.parameters["filename"] == nil
                else { continue }
                let start: Int
                switch end {
                case .blankLine(let b), .strayLine(let b): start = range.lowerBound + b
                case .endOfInput: start = range.upperBound
                }
                out[name] = String(decoding: body[min(start, range.upperBound)..<range.upperBound], as: UTF8.self)
            }
            return out
        default:
            return nil
        }
    }

    static func quality(_ params: ArraySlice<Substring>) -> Double {
        for p in params {
            let t = p.trimmingSpaces
            if t.hasPrefix("q=") { return Double(t.dropFirst(2)) ?? 1 }
        }
        return 1
    }
}

/// The language of a built-in page (confirm, unsubscribe, thank-you): the first of the person's
/// preferences whose language a page exists in, else English.
public enum PageLanguage {
    /// - Parameters:
    ///   - preferences: in order, each a locale (`da`, `pt-BR`) or an `Accept-Language` header;
    ///     nil ones are skipped.
    ///   - available: the primary language subtags pages exist in.
    public static func choose(_ preferences: [String?], available: Set<String>) -> String {
        for p in preferences {
            guard let p else { continue }
            for tag in ranked(p) {
                let primary = String(tag.split(separator: "-").first ?? "")
                if available.contains(primary) { return primary }
                // Norwegian readers read Danish.
                if ["nb", "nn", "no"].contains(primary), available.contains("da") { return "da" }
            }
        }
        return "en"
    }

    /// The language tags of an `Accept-Language` header (or one locale), best first; q=0 dropped.
    static func ranked(_ header: String) -> [String] {
        var tags: [(tag: String, q: Double, index: Int)] = []
        for (i, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";")
            let tag = (pieces.first?.trimmingSpaces ?? "").lowercased().replacingOccurrences(of: "_", with: "-")
            let q = SignUpForm.quality(pieces.dropFirst())
            if q > 0, !tag.isEmpty { tags.append((tag, q, i)) }
        }
        tags.sort { $0.q != $1.q ? $0.q > $1.q : $0.index < $1.index }
        return tags.map(\.tag)
    }
}
