import Foundation

/// Signs and checks the tokens in confirm, unsubscribe and preferences links (HMAC-SHA256 with a key that is
/// generated into the data directory on first use, so links survive restarts but not a new install).
public struct LinkSigner: Sendable {
    let key: [UInt8]
    /// `key` prepared for HMAC once: every message signs two links.
    let mac: HMACKey
    public let baseURL: String

    public init(key: [UInt8], baseURL: String) {
        self.key = key
        mac = HMACKey(key)
        self.baseURL = baseURL
    }

    /// Return-path tokens under the same key, sharing its prepared HMAC contexts.
    public var verp: VERPToken { VERPToken(mac: mac) }

    /// Loads `link-key` from the data directory, creating it (mode 0600) if missing.
    public static func load(config: Config) throws -> LinkSigner {
        let path = config.dataPath("link-key")
        if let k = existingKey(config: config) {
            return LinkSigner(key: k, baseURL: config.publicURL)
        }
        try PrivateFiles.makeDirectory(config.dataDir)
        let k = Crypto.randomBytes(32)
        let temp = path + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temp, contents: Data((Crypto.base64URL(k) + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        // Two processes starting together: link(2) fails for the loser, who then reads the winner's key.
        if link(temp, path) != 0 {
            unlink(temp)
            return try load(config: config)
        }
        unlink(temp)
        return LinkSigner(key: k, baseURL: config.publicURL)
    }

    /// The key in `link-key` when the data directory has one; never creates it (`bounces parse`
    /// reads it to check VERP tokens and must leave the data directory as it is).
    public static func existingKey(config: Config) -> [UInt8]? {
        guard let d = FileManager.default.contents(atPath: config.dataPath("link-key")),
            let k = Crypto.base64URLDecode(
                String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), k.count >= 32
        else { return nil }
        return k
    }

    public static let unsubscribeLifetime: Int64 = 400 * 86_400
    public static let confirmLifetime: Int64 = 7 * 86_400
    /// As long as an unsubscribe link: it sits in the same footer.
    public static let preferencesLifetime: Int64 = unsubscribeLifetime

    /// `u|EXPIRES|LIST|ADDRESS`, or with a contact `U|EXPIRES|LIST|ID|ISSUED_MS|ADDRESS` (the capital
    /// letter says which, so links already sent keep working; the address stays last, whatever it holds).
    public func token(_ t: LinkToken) -> String {
        // The payload written as bytes: interpolating it and uppercasing the action (a Unicode
        // operation for one ASCII letter) cost more than signing it.
        var payload: [UInt8] = []
        payload.reserveCapacity(48 + t.list.utf8.count + t.address.utf8.count)
        func field(_ s: String) {
            payload.append(contentsOf: s.utf8)
            payload.append(UInt8(ascii: "|"))
        }
        let action = t.action.rawValue.utf8.first!
        if let id = t.contactID {
            payload.append(action &- 0x20)  // the ASCII capital of the action's letter
            payload.append(UInt8(ascii: "|"))
            field(String(t.expires))
            field(t.list)
            field(String(id))
            field(String(t.issuedAt ?? WallClock.nowMillis()))
        } else {
            payload.append(action)
            payload.append(UInt8(ascii: "|"))
            field(String(t.expires))
            field(t.list)
        }
        payload.append(contentsOf: t.address.utf8)
        let mac = self.mac.mac(payload)
        return Crypto.base64URL(payload) + "."
            + mac.withUnsafeBufferPointer { Crypto.base64URL(.init(rebasing: $0[..<16])) }
    }

    public func verify(_ token: String, now: Int64 = WallClock.nowMillis() / 1000) throws(LinkTokenError) -> LinkToken {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let payload = Crypto.base64URLDecode(String(parts[0])),
            let mac = Crypto.base64URLDecode(String(parts[1]))
        else {
            throw .malformed
        }
        guard Crypto.constantTimeEqual(Array(self.mac.mac(payload).prefix(16)), mac) else {
            throw .badSignature
        }
        let text = String(decoding: payload, as: UTF8.self)
        let withContact = text.first?.isUppercase == true
        let fields = text.split(separator: "|", maxSplits: withContact ? 5 : 3, omittingEmptySubsequences: false)
        guard fields.count == (withContact ? 6 : 4), let action = LinkToken.Action(rawValue: fields[0].lowercased()),
            let exp = Int64(fields[1])
        else { throw .malformed }
        var contactID: Int64?
        var issuedAt: Int64?
        if withContact {
            guard let id = Int64(fields[3]), let issued = Int64(fields[4]) else { throw .malformed }
            contactID = id
            issuedAt = issued
        }
        guard exp >= now else { throw .expired }
        return LinkToken(
            action: action, list: String(fields[2]), address: String(fields.last!), expires: exp, contactID: contactID,
            issuedAt: issuedAt)
    }

    public func unsubscribeURL(
        list: String, address: String, contactID: Int64? = nil, now: Int64 = WallClock.nowMillis() / 1000
    ) -> String {
        baseURL + "/unsubscribe/"
            + token(
                LinkToken(
                    action: .unsubscribe, list: list, address: address,
                    expires: now + Self.unsubscribeLifetime, contactID: contactID))
    }

    public func confirmURL(
        list: String, address: String, contactID: Int64? = nil, now: Int64 = WallClock.nowMillis() / 1000
    ) -> String {
        baseURL + "/confirm/"
            + token(
                LinkToken(
                    action: .confirm, list: list, address: address,
                    expires: now + Self.confirmLifetime, contactID: contactID))
    }

    /// The link to a contact's preferences page. Its token names the action (`p`), so an
    /// unsubscribe or confirm token is refused on this page and this token on theirs.
    public func preferencesURL(address: String, contactID: Int64, now: Int64 = WallClock.nowMillis() / 1000) -> String {
        baseURL + "/preferences/"
            + token(
                LinkToken(
                    action: .preferences, list: "", address: address,
                    expires: now + Self.preferencesLifetime, contactID: contactID))
    }
}
