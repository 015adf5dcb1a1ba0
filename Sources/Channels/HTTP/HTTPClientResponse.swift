import Foundation

/// A complete HTTP response: status, headers of the final response, body.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Seconds to wait from the `Retry-After` header (delay seconds or an HTTP date).
    public func retryAfter(now: Date = Date()) -> Double? {
        header("Retry-After").flatMap { RetryAfter.seconds($0, now: now) }
    }
}
