import Foundation

/// Turns raw fields (CSV, CLI, API) into a valid `Contact`, or says what is wrong.
public struct ContactValidator: Sendable {
    public var defaultCountry: String?

    public init(defaultCountry: String?) { self.defaultCountry = defaultCountry }

    /// IANA zone names, read once: creating a TimeZone per row is slow.
    static let timeZones: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])

    public func contact(
        email: String?, phone: String?, name: String?, locale: String?, timeZone: String?,
        attributes: [String: String], preferredChannel: String? = nil
    ) throws(ContactError) -> Contact {
        func blank(_ s: String?) -> String? {
            guard let t = s?.trimmingSpaces, !t.isEmpty else { return nil }
            return t
        }
        // Names end up in mail headers and terminal output: one line, no control characters.
        var c = Contact(name: blank(name?.singleLine), attributes: attributes)
        if let e = blank(email) { c.email = try EmailAddress.normalize(e) }
        if let p = blank(phone) {
            do { c.phone = try PhoneNumber.normalize(p, defaultCountry: defaultCountry) } catch {
                throw .badPhone(p, reason: error.description)
            }
        }
        guard c.email != nil || c.phone != nil else { throw .noAddress }
        c.preferredChannel = try ChannelPreference.parse(preferredChannel)
        if let l = blank(locale) {
            guard Locales.isValid(l) else { throw .badLocale(l) }
            c.locale = Locales.canonical(l)
        }
        if let z = blank(timeZone) {
            guard Self.timeZones.contains(z) else { throw .badTimeZone(z) }
            c.timeZone = z
        }
        return c
    }
}
