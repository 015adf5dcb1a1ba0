import CCurl
import Foundation

/// `Retry-After` values: delay seconds ("120") or an HTTP date, parsed by libcurl's `curl_getdate`.
enum RetryAfter {
    static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(v), s >= 0, s.isFinite { return s }
        let t = curl_getdate(v, nil)
        guard t > 0 else { return nil }
        return max(0, Double(t) - now.timeIntervalSince1970)
    }
}
