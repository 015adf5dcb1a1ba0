/// A mailbox: an optional display name and an address.
public struct MailAddress: Sendable, Equatable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Reads `Name <a@b.org>`, `"Name, Inc." <a@b.org>` or a bare `a@b.org`.
    public static func parse(_ s: String) throws(MIMEError) -> MailAddress {
        let t = s.trimmingSpaces
        if let lt = t.lastIndex(of: "<"), t.hasSuffix(">") {
            var name = String(t[..<lt]).trimmingSpaces
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            let addr = String(t[t.index(after: lt)..<t.index(before: t.endIndex)])
            guard addr.contains("@"), !addr.contains(" ") else { throw .badAddress(s) }
            return MailAddress(name: name.isEmpty ? nil : name, address: addr)
        }
        guard t.contains("@"), !t.contains(" "), !t.contains("<") else { throw .badAddress(s) }
        return MailAddress(address: t)
    }

    /// The domain part, for Message-ID and List-Id.
    public var domain: String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
