/// A person in an invitation: ORGANIZER or ATTENDEE.
public struct CalendarAddress: Sendable, Hashable {
    public var email: String
    public var name: String?

    public init(email: String, name: String? = nil) {
        self.email = email
        self.name = name
    }

    /// "Name <addr@example.org>" or a bare address, as in a From header.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let open = t.lastIndex(of: "<"), t.hasSuffix(">") {
            let address = String(t[t.index(after: open)..<t.index(before: t.endIndex)]).trimmingCharacters(
                in: .whitespaces)
            let name = t[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            guard address.contains("@") else { return nil }
            self.init(email: address, name: name.isEmpty ? nil : name)
        } else {
            guard t.contains("@"), !t.contains(" ") else { return nil }
            self.init(email: t)
        }
    }
}

import Foundation
