import Foundation

/// A `Content-Type` value: the media type, lowercased, and its parameters (names lowercased,
/// quoted values unquoted).
struct ContentType: Sendable, Equatable {
    var mediaType: String
    var parameters: [String: String]

    var isMultipart: Bool { mediaType.hasPrefix("multipart/") }

    /// RFC 2045's default when the field is missing or unreadable: `text/plain`.
    static func parse(_ value: String?) -> ContentType {
        guard let value else { return ContentType(mediaType: "text/plain", parameters: [:]) }
        let items = splitParameters(value)
        let type = (items.first ?? "").trimmingSpaces.lowercased()
        var parameters: [String: String] = [:]
        for item in items.dropFirst() {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let name = item[..<eq].trimmingSpaces.lowercased()
            var v = item[item.index(after: eq)...].trimmingSpaces
            if v.hasPrefix("\"") {
                var out = ""
                var escaped = false
                for c in v.dropFirst() {
                    if escaped {
                        out.append(c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        out.append(c)
                    }
                }
                v = out
            }
            if parameters[name] == nil { parameters[name] = v }
        }
        let valid = type.contains("/") && !type.contains(" ")
        return ContentType(mediaType: valid ? type : "text/plain", parameters: parameters)
    }

    /// Splits at semicolons outside quoted strings.
    static func splitParameters(_ value: String) -> [Substring] {
        var out: [Substring] = []
        var start = value.startIndex
        var quoted = false
        var escaped = false
        var i = value.startIndex
        while i < value.endIndex {
            let c = value[i]
            if escaped {
                escaped = false
            } else if c == "\\" && quoted {
                escaped = true
            } else if c == "\"" {
                quoted.toggle()
            } else if c == ";" && !quoted {
                out.append(value[start..<i])
                start = value.index(after: i)
            }
            i = value.index(after: i)
        }
        out.append(value[start...])
        return out
    }
}
