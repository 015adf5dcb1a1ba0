import Outreach

/// Settings every HTTP-based channel reads from its `[channels.NAME]` section.
struct HTTPChannelSettings {
    var options: HTTPClient.Options
    /// Extra `headers = ["Name: value", …]` sent with every request.
    var headers: [(name: String, value: String)]
    var signer: StandardWebhooks?
    /// Messages the worker claims per batch; a batch ends when its slowest request does.
    var batchSize: Int

    init(_ section: ConfigSection, defaultConnections: Int = 4) throws(ConfigError) {
        let connections = try section.int("max_connections") ?? defaultConnections
        guard (1...256).contains(connections) else {
            throw section.invalid("max_connections", "must be between 1 and 256")
        }
        let timeout = try section.int("timeout") ?? 30
        guard (1...600).contains(timeout) else { throw section.invalid("timeout", "must be between 1 and 600 seconds") }
        options = HTTPClient.Options(
            maxConnections: connections, timeout: Double(timeout),
            connectTimeout: Double(min(timeout, 10)), caFile: try section.readableFile("ca_file"),
            verifyTLS: try section.bool("tls_verify") ?? true)
        let batch = try section.int("batch_size") ?? connections * 64
        guard (1...10_000).contains(batch) else { throw section.invalid("batch_size", "must be between 1 and 10000") }
        batchSize = batch
        headers = []
        for line in try section.strings("headers") ?? [] {
            guard let colon = line.firstIndex(of: ":") else {
                throw section.invalid("headers", "has \"\(line)\", which is not \"Name: value\"")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let token = name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
            }
            guard !name.isEmpty, token else {
                throw section.invalid("headers", "has the header name \"\(name)\", which is not a valid HTTP token")
            }
            guard !value.contains(where: { $0.isNewline }) else {
                throw section.invalid("headers", "has a line break in the value of \(name)")
            }
            if SecretRedactor.isSecretName(name) {
                // "Authorization: Bearer X": the whole value, and X alone, are credentials.
                section.noteSecret(value)
                if let token = value.split(separator: " ").last, token.count < value.count {
                    section.noteSecret(String(token))
                }
            }
            headers.append((name, value))
        }
        if let secret = try section.secret("signing_secret") {
            do throws(StandardWebhooksError) {
                signer = try StandardWebhooks(secret: secret)
            } catch {
                throw section.invalid(
                    section.has("signing_secret") ? "signing_secret" : "signing_secret_file",
                    "must hold whsec_ followed by base64 key bytes")
            }
        } else {
            signer = nil
        }
    }

    /// `webhook-id` always; `webhook-timestamp` and `webhook-signature` when a secret is configured.
    func webhookHeaders(id: Int64, body: [UInt8], timestamp: Int) -> [(name: String, value: String)] {
        if let signer { return signer.headers(id: String(id), timestamp: timestamp, body: body) }
        return [("webhook-id", String(id))]
    }
}

extension Array where Element == (name: String, value: String) {
    /// Configured headers override the preset's own header of the same name.
    func merged(with extra: [(name: String, value: String)]) -> [(name: String, value: String)] {
        let overridden = Set(extra.map { $0.name.lowercased() })
        return filter { !overridden.contains($0.name.lowercased()) } + extra
    }
}
