import Foundation
import OutreachTestFixtures
import Outreach

/// Builds the raw fuzzed requests for `outreachd serve`: mutated triggers, headers, signed
/// triggers, sign-ups and receipts, each the bytes of one whole HTTP/1.1 request.
struct FuzzHTTPRequests {
    let port: Int
    let token: String
    let signer: StandardWebhooks

    struct Request {
        var method: String
        var target: String
        var headers: [(String, [UInt8])]
        var body: [UInt8]
        /// Leave `Content-Length` out (a body the server must not wait for).
        var omitLength = false

        var raw: [UInt8] {
            var head = Array("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
            for (name, value) in headers { head += Array("\(name): ".utf8) + value + [13, 10] }
            if !omitLength { head += Array("Content-Length: \(body.count)\r\n".utf8) }
            return head + [13, 10] + body
        }

        /// The request line and headers, in bytes.
        var headSize: Int { raw.count - body.count }

        /// The first bytes, printable, for a failure message.
        var summary: String {
            let text = String(decoding: raw.prefix(400), as: UTF8.self)
            return text.unicodeScalars.map {
                $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0)
            }
            .joined() + (raw.count > 400 ? "… (\(raw.count) bytes)" : "")
        }
    }

    static let triggerSeeds: [JSON] = [
        ["template": "welcome", "to": [["email": "ana@example.org", "name": "Ana"]]],
        ["template": "welcome", "to": [["phone": "+4521436677"]], "channels": ["texts"]],
        [
            "template": "welcome",
            "to": [
                ["email": "bo@example.org", "locale": "da", "timezone": "Europe/Copenhagen"],
                ["phone": "21436678", "name": "Bo"],
            ],
            "data": ["course": "Danish 1", "n": 3, "tags": ["a", "b"]], "send_at": "2026-12-01T09:00:00+01:00",
        ],
        [
            "template": "newsletter", "to": [["contact": "ana@example.org"]], "channels": ["outbox"],
            "data": ["title": "News", "items": [["title": "one"]]],
        ],
        [
            "template": "confirm", "to": [["email": "cy@example.org", "name": "Cy Ødegård", "locale": "sv"]],
            "data": ["confirm_url": "https://x.example/c", "list": "club"],
        ],
    ]

    /// Values at the edges: numbers JSON allows but Int and Double do not hold, text that is hard
    /// to store, print or put in a header, the wrong types.
    static func oddValue(_ rng: inout SplitMix64) -> JSON {
        switch rng.below(12) {
        case 0:
            return .number(
                rng.pick([
                    "1e400", "-1e400", "-0", "-0.0", "1e-400", "9223372036854775807", "-9223372036854775808",
                    "9223372036854775808", "18446744073709551616", "0.1", "1E2", "-1", "0", "2147483648",
                ]))
        case 1:
            return .string(
                String(
                    repeating: rng.pick(["a", "é", "👩‍👩‍👧", "\u{0}", " "]),
                    count: rng.pick([255, 256, 998, 1000, 5_000, 70_000])))
        case 2:
            return .string(
                rng.pick([
                    "", " ", "\r\n", "Eve\r\nBcc: x@evil.org", "\u{1B}[2J", "a\tb", "\u{0}", "\u{202E}gro.elpmaxe",
                    "\u{FEFF}", "e\u{301}", "日本語", "\u{10FFFF}", "\u{7F}", "\u{85}", "a\u{2028}b",
                ]))
        case 3:
            return .string(
                rng.pick([
                    "ana@@example.org", "ana@example.org.", "\"a b\"@example.org", "a@[127.0.0.1]", "@",
                    "a@b", "ana@xn--", "ANA@EXAMPLE.ORG", "ana+tag@example.org",
                    "a@" + String(repeating: "b", count: 300) + ".org",
                ]))
        case 4:
            return .string(
                rng.pick([
                    "+0", "+", "+999999999999999999999", "+4521436677x", "0045", "+45 21 43 66 77", "٠١٢٣٤٥٦٧٨٩",
                    "+4521436677;ext=1", "-4521436677", "00000000",
                ]))
        case 5:
            return .string(
                rng.pick([
                    "2026-12-01T09:00:00+99:99", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
                    "-2026-01-01T00:00:00Z",
                    "2026-02-30T09:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T09:00:60Z", "2026-12-01T09:00:00",
                    "1e400", "2026-12-01T09:00:00.999999999999Z", "+275760-09-13T00:00:00Z",
                ]))
        case 6:
            return .string(
                rng.pick([
                    "Mars/Olympus", "../../etc/passwd", "UTC", "Etc/GMT+14", "", "Europe/Copenhagen\u{0}",
                    "posix/Europe/Oslo",
                    "zz", "x-klingon", "da-DK-u-ca-buddhist", "en_US.UTF-8", "sv\u{0}",
                ]))
        case 7: return rng.pick([.null, .bool(true), .bool(false), .array([]), .object([:])])
        case 8: return .array([.string("a"), .number("1"), .null])
        case 9:
            var v: JSON = .number("1")
            for _ in 0..<(rng.chance(50) ? 600 : 2 + rng.below(100)) {
                v = rng.chance(50) ? .array([v]) : .object(["a": v])
            }
            return v
        case 10:
            return .string(
                rng.pick([
                    "welcome", "newsletter", "../welcome", "welcome/", "layouts/email", "partials/footer", ".", "..",
                    "WELCOME",
                ]))
        default: return .string(rng.pick(["outbox", "texts", "tw", "email", "sms", "chat", "fax", "OUTBOX"]))
        }
    }

    /// Replaces, removes or adds one node somewhere in `value`.
    static func mutate(_ value: JSON, _ rng: inout SplitMix64, depth: Int = 0) -> JSON {
        let descend = depth < 6 && rng.chance(65)
        switch value {
        case .object(var o) where !o.isEmpty:
            let key = rng.pick(o.keys.sorted())
            if descend {
                o[key] = mutate(o[key]!, &rng, depth: depth + 1)
                return .object(o)
            }
            switch rng.below(4) {
            case 0: o[key] = nil
            case 1:
                o[
                    rng.pick([
                        "colour", "", "template ", "Template", "to\u{0}", "data", "send_at", "channels", "email",
                        "phone",
                        "name", "locale", "timezone", "contact", "address", String(repeating: "k", count: 3_000),
                    ])] = oddValue(&rng)
            default: o[key] = oddValue(&rng)
            }
            return .object(o)
        case .array(var a) where !a.isEmpty:
            let i = rng.below(a.count)
            if descend {
                a[i] = mutate(a[i], &rng, depth: depth + 1)
                return .array(a)
            }
            switch rng.below(4) {
            case 0: a.remove(at: i)
            case 1:
                // Many elements, but at most about 1 MiB of them: copies of copies grew to gigabytes.
                let size = max(1, a[i].serializedBytes.count)
                a += Array(repeating: a[i], count: min(rng.pick([2, 100, 1_001, 10_000]), max(1, 1_000_000 / size)))
            default: a[i] = oddValue(&rng)
            }
            return .array(a)
        default:
            return oddValue(&rng)
        }
    }

    static let bodyMutator = FuzzMutator(
        dictionary: [
            "{", "}", "[", "]", ":", ",", "\"", "\\\"", "\\u0000", "\\ud800", "\\udc00\\ud800", "\"to\"",
            "\"template\"",
            "\"email\"", "\"data\"", "null", "{\"a\":", "1e400", "-0", "\"send_at\":", "/*", "//",
        ],
        nesting: [("[", "]"), ("{\"a\":", "}"), ("{\"data\":", "}")])
    static let textMutator = FuzzMutator(
        dictionary: ["%", "%zz", "%00", "%0d%0a", "&", "=", "+", "%2B", "?", "#", ";"], nesting: [])

    /// A header value: anything but CR and LF (which would end the header rather than test its value).
    static func headerValue(_ s: String, _ rng: inout SplitMix64, mutate: Bool) -> [UInt8] {
        let bytes = mutate ? textMutator.mutate(s, &rng) : Array(s.utf8)
        return bytes.map { $0 == 13 || $0 == 10 ? 0x20 : $0 }
    }

    /// Percent-encodes `s` for a query or form, then maybe breaks the encoding.
    static func encoded(_ s: String, _ rng: inout SplitMix64) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let e = s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        guard rng.chance(25) else { return e }
        // Only bytes that may stand in a request line: printable ASCII without spaces.
        let broken = textMutator.mutate(e, &rng).filter { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }
        return String(decoding: broken, as: UTF8.self)
    }

    func request(_ rng: inout SplitMix64) -> Request {
        let roll = rng.below(100)
        switch roll {
        case 0..<55: return trigger(&rng, structural: roll < 35)
        case 55..<67: return triggerHeaders(&rng)
        case 67..<72: return signedTrigger(&rng)
        case 72..<84: return signUp(&rng)
        case 84..<96: return receipt(&rng)
        default: return other(&rng)
        }
    }

    private var auth: (String, [UInt8]) { ("Authorization", Array("Bearer \(token)".utf8)) }
    private let json: (String, [UInt8]) = ("Content-Type", Array("application/json".utf8))

    func triggerBody(_ rng: inout SplitMix64, structural: Bool) -> [UInt8] {
        let seed = rng.pick(Self.triggerSeeds)
        if structural {
            var v = seed
            for _ in 0..<(1 + rng.below(3)) { v = Self.mutate(v, &rng) }
            let body = rng.chance(10) ? Self.bodyMutator.mutate(v.serializedBytes, &rng) : v.serializedBytes
            return Array(body.prefix(2_000_000))
        }
        return Self.bodyMutator.mutate(seed.serializedBytes, &rng)
    }

    func trigger(_ rng: inout SplitMix64, structural: Bool) -> Request {
        var headers = [auth, json]
        if rng.chance(30) { headers.append(("Idempotency-Key", Array("k-\(rng.below(50))".utf8))) }
        return Request(
            method: "POST", target: "/v1/messages", headers: headers, body: triggerBody(&rng, structural: structural))
    }

    func triggerHeaders(_ rng: inout SplitMix64) -> Request {
        var r = trigger(&rng, structural: rng.chance(10))
        if rng.chance(90) { r.body = Self.triggerSeeds[0].serializedBytes }
        for _ in 0..<(1 + rng.below(3)) {
            switch rng.below(9) {
            case 0, 1:
                let key = rng.pick([
                    "", " ", "k", String(repeating: "k", count: 255), String(repeating: "k", count: 256),
                    String(repeating: "é", count: 200), "k\u{0}", "k\u{1B}[2J", "\u{FEFF}k", "k-\(rng.below(50))",
                    String(repeating: "x", count: 9_000), "1e400", "-0",
                ])
                r.headers.append(("Idempotency-Key", Self.headerValue(key, &rng, mutate: rng.chance(40))))
            case 2, 3:
                r.headers.removeAll { $0.0 == "Content-Type" }
                let ct = rng.pick([
                    "application/json; charset=utf-8", "application/json;charset=latin1", "APPLICATION/JSON",
                    "application/json, text/plain", "text/plain", "", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/jsonx", "application/json; charset=\"",
                    "application/json;" + String(repeating: ";", count: 5_000), "application/problem+json",
                ])
                r.headers.append(("Content-Type", Self.headerValue(ct, &rng, mutate: rng.chance(30))))
            case 4:
                r.headers.removeAll { $0.0 == "Authorization" }
                let a = rng.pick([
                    "Bearer \(token) ", "Bearer", "bearer \(token)", "Basic eDp5", "Bearer  \(token)",
                    "Bearer \(token.dropLast())", "Bearer " + String(repeating: "t", count: 8_000), "",
                    "Bearer \(token)\u{0}",
                ])
                r.headers.append(("Authorization", Self.headerValue(a, &rng, mutate: rng.chance(30))))
            case 5, 6:
                r.headers.removeAll { $0.0 == "Authorization" }
                let ts = rng.pick([
                    "-9223372036854775808", "9223372036854775807", "-9223372036854775000", "99999999999999999999",
                    "1e300", "1e400", "-0", "", "NaN", "0x10", " 1", "\(Int(Date().timeIntervalSince1970))",
                    "\(Int(Date().timeIntervalSince1970)).5", "+1",
                ])
                r.headers += [
                    (
                        "webhook-id",
                        Self.headerValue(
                            rng.pick(["x", "", "msg_1", String(repeating: "i", count: 300)]), &rng,
                            mutate: rng.chance(30))
                    ),
                    ("webhook-timestamp", Self.headerValue(ts, &rng, mutate: rng.chance(30))),
                    (
                        "webhook-signature",
                        Self.headerValue(
                            rng.pick(["v1,AAAA", "v1,", "", "v2,AAAA", "v1,!!!!", "v1,AAAA v1,BBBB"]),
                            &rng, mutate: rng.chance(30))
                    ),
                ]
            case 7:
                r.headers.append(("Expect", Array("100-continue".utf8)))
            default:
                let (name, value) = rng.pick(r.headers)
                r.headers.append((name, value))  // the same header twice
            }
        }
        return r
    }

    /// A correctly signed trigger (the daemon's secret), then perhaps one part changed.
    func signedTrigger(_ rng: inout SplitMix64) -> Request {
        let body = rng.chance(60) ? rng.pick(Self.triggerSeeds).serializedBytes : triggerBody(&rng, structural: true)
        let id = "msg_\(rng.below(40))"
        let now = Int(Date().timeIntervalSince1970)
        var headers = signer.headers(id: id, timestamp: now, body: body).map { ($0.name, Array($0.value.utf8)) }
        headers.append(json)
        var r = Request(method: "POST", target: "/v1/messages", headers: headers, body: body)
        switch rng.below(6) {
        case 0: r.body = Self.bodyMutator.mutate(body, &rng)
        case 1:
            r.headers[rng.below(3)].1 = Self.headerValue(
                String(decoding: headers[0].1, as: UTF8.self), &rng, mutate: true)
        case 2: r.headers.append(("Idempotency-Key", Array("other-\(rng.below(5))".utf8)))
        case 3: r.headers.append(auth)
        default: break
        }
        return r
    }

    func signUp(_ rng: inout SplitMix64) -> Request {
        var list = rng.pick([
            "club", "club", "double", "nope", "cl%75b", "%00", "club%2F..", String(repeating: "l", count: 2_000),
        ])
        if rng.chance(10) { list = Self.encoded(list, &rng) }
        var fields: [(String, String)] = []
        if rng.chance(80) {
            fields.append(("email", rng.pick(["ana@example.org", "new\(rng.below(1000))@example.org", "x@y"])))
        }
        if rng.chance(30) { fields.append(("phone", rng.pick(["+4521436677", "21436678", "+0"]))) }
        if rng.chance(50) {
            fields.append(("name", rng.pick(["Ana", "Eve\r\nBcc: x@evil.org", "\u{1B}[2JBo", "Zoë", "a\tb"])))
        }
        if rng.chance(30) { fields.append(("locale", rng.pick(["da", "sv", "xx-YY", ""]))) }
        if rng.chance(30) { fields.append(("timezone", rng.pick(["Europe/Copenhagen", "Mars/Olympus", ""]))) }
        if rng.chance(10) { fields.append((rng.pick(["email", "colour", "", "e%mail"]), "dup")) }
        for i in fields.indices where rng.chance(30) {
            if case .string(let s) = Self.oddValue(&rng) { fields[i].1 = s }
        }
        var headers: [(String, [UInt8])] = []
        var body: [UInt8]
        if rng.chance(60) {
            body = Array(
                fields.map { Self.encoded($0.0, &rng) + "=" + Self.encoded($0.1, &rng) }.joined(separator: "&").utf8)
            headers.append(("Content-Type", Array("application/x-www-form-urlencoded".utf8)))
        } else {
            var o: [String: JSON] = [:]
            for (k, v) in fields { o[k] = rng.chance(90) ? .string(v) : Self.oddValue(&rng) }
            body = JSON.object(o).serializedBytes
            headers.append(json)
        }
        if rng.chance(20) { body = Self.bodyMutator.mutate(body, &rng) }
        if rng.chance(30) {
            headers.append(
                (
                    "X-Forwarded-For",
                    Self.headerValue(
                        rng.pick([
                            "203.0.113.7", "203.0.113.7, 10.0.0.1", "", "::1", "not an ip",
                            String(repeating: "1.", count: 3_000),
                        ]), &rng, mutate: rng.chance(40))
                ))
        }
        if rng.chance(30) {
            headers.append(
                (
                    "User-Agent",
                    Self.headerValue(
                        rng.pick(["Mozilla/5.0", "\u{1B}[2J", String(repeating: "u", count: 6_000)]),
                        &rng, mutate: rng.chance(40))
                ))
        }
        return Request(method: "POST", target: "/v1/lists/\(list)/subscribe", headers: headers, body: body)
    }

    func receipt(_ rng: inout SplitMix64) -> Request {
        let channel = rng.pick(["texts", "texts", "tw", "tw", "outbox", "nope", "t%65xts", "texts%00", "../texts"])
        let kannel = [
            ("id", "\(rng.below(30))"), ("status", rng.pick(["1", "2", "4", "8", "16", "-1", "0", "65536"])),
            ("answer", rng.pick(["ACK", "NACK/blocked", ""])), ("token", "x"),
        ]
        let inbound = [
            ("from", rng.pick(["+4521436677", "4599999999", "+", ""])),
            ("text", rng.pick(["STOP", "stop", "Stopp", "HELP", ""])),
            ("to", "CFriends"),
        ]
        let twilio = [
            ("MessageSid", "SM\(rng.below(100))"),
            ("MessageStatus", rng.pick(["delivered", "failed", "undelivered", "sent", "??"])),
            ("ErrorCode", rng.pick(["30005", "21610", "1e400", ""])), ("From", "+4521436677"),
            ("Body", rng.pick(["STOP", "hi"])),
            ("To", "+4512345678"), ("AccountSid", "AC42"),
        ]
        var fields = rng.pick([kannel, inbound, twilio])
        fields = fields.filter { _ in rng.chance(85) }
        for i in fields.indices where rng.chance(30) {
            switch Self.oddValue(&rng) {
            case .string(let s): fields[i].1 = s
            case .number(let n): fields[i].1 = n
            default: fields[i].1 = ""
            }
        }
        if rng.chance(10) { fields += fields }  // every key twice
        let query = fields.map { Self.encoded($0.0, &rng) + "=" + Self.encoded($0.1, &rng) }.joined(separator: "&")
        if rng.chance(50) {
            return Request(
                method: "GET", target: "/v1/receipts/\(channel)" + (query.isEmpty && rng.chance(50) ? "" : "?" + query),
                headers: [], body: [])
        }
        var body = Array(query.utf8)
        if rng.chance(20) { body = Self.textMutator.mutate(body, &rng) }
        var headers: [(String, [UInt8])] = [
            (
                "Content-Type",
                Array(
                    rng.pick([
                        "application/x-www-form-urlencoded", "application/json",
                        "text/plain", "multipart/form-data",
                    ]).utf8)
            )
        ]
        if rng.chance(30) {
            headers.append(
                ("X-Twilio-Signature", Self.headerValue(rng.pick(["", "AAAA", "=", "!!"]), &rng, mutate: true)))
        }
        return Request(
            method: "POST",
            target: "/v1/receipts/\(channel)" + (rng.chance(30) ? "?token=" + Self.encoded("x", &rng) : ""),
            headers: headers, body: body)
    }

    func other(_ rng: inout SplitMix64) -> Request {
        let id = rng.pick([
            "1", "0", "-1", "-0", "1e400", "9223372036854775807", "9223372036854775808", "%31", "1.5", "01", " ", "",
            "x",
        ])
        let target = rng.pick([
            "/v1/messages/\(Self.encoded(id, &rng))", "/v1/messages/", "/v1/messages", "//v1/messages",
            "/v1/./messages",
            "/v1/messages?x=1", "/healthz?x", "/metrics", "/v1/lists//subscribe", "/confirm/", "/unsubscribe/x",
            "/" + String(repeating: "a", count: 10_000), "*", "/%", "/v1/messages/1/x",
        ])
        let method = rng.pick(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "get", "FOO"])
        var headers: [(String, [UInt8])] = rng.chance(70) ? [auth] : []
        if rng.chance(20) { headers.append(("Accept-Language", Self.headerValue("da, en;q=0.5", &rng, mutate: true))) }
        return Request(
            method: method, target: target, headers: headers,
            body: method == "GET" || method == "HEAD" ? [] : Array("{}".utf8),
            omitLength: method == "GET" && rng.chance(50))
    }
}
