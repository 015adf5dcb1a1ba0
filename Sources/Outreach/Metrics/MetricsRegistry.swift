import Foundation
import Synchronization

/// Counters, gauges and histograms with labels, rendered in the Prometheus text format (0.0.4).
///
/// Thread-safe; every update takes one lock, which is cheap next to the work being counted.
public final class MetricsRegistry: Sendable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    struct Family {
        var kind: Kind
        var help: String
        var buckets: [Double] = []
        /// Label set (rendered `{a="b"}`) → value, or histogram state.
        var values: [String: Double] = [:]
        var histograms: [String: Histogram] = [:]

        mutating func observe(_ key: String, _ observed: [Double]) {
            let buckets = self.buckets
            histograms[key, default: Histogram(counts: Array(repeating: 0, count: buckets.count))].add(
                observed, buckets: buckets)
        }
    }

    struct Histogram {
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0

        mutating func add(_ values: [Double], buckets: [Double]) {
            for v in values {
                if let i = buckets.firstIndex(where: { v <= $0 }) { counts[i] += 1 }
                sum += v
                count += 1
            }
        }
    }

    private let families = Mutex<[String: Family]>([:])

    public init() {}

    /// Declares a metric; updating an undeclared one declares it with an empty help text.
    public func declare(_ name: String, _ kind: Kind, help: String, buckets: [Double] = []) {
        families.withLock { f in
            if f[name] == nil { f[name] = Family(kind: kind, help: help, buckets: buckets.sorted()) }
        }
    }

    public func add(_ name: String, _ labels: [String: String] = [:], _ amount: Double = 1) {
        let key = Self.labelText(labels)
        families.withLock { f in f[name, default: Family(kind: .counter, help: "")].values[key, default: 0] += amount }
    }

    public func set(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        let key = Self.labelText(labels)
        families.withLock { f in f[name, default: Family(kind: .gauge, help: "")].values[key] = value }
    }

    public func observe(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        observe(name, labels, values: [value])
    }

    /// Observes many values under one lock (the requests of one group commit).
    public func observe(_ name: String, _ labels: [String: String] = [:], values: [Double]) {
        guard !values.isEmpty else { return }
        let key = Self.labelText(labels)
        families.withLock { f in
            // Changed in place through the `default:` subscripts, so no family or histogram is copied.
            f[name, default: Family(kind: .histogram, help: "", buckets: Self.defaultBuckets)].observe(key, values)
        }
    }

    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    /// The exposition text, families sorted by name.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let fam = snapshot[name]!
            if !fam.help.isEmpty { out += "# HELP \(name) \(Self.escapeHelp(fam.help))\n" }
            out += "# TYPE \(name) \(fam.kind.rawValue)\n"
            if fam.kind == .histogram {
                for key in fam.histograms.keys.sorted() {
                    let h = fam.histograms[key]!
                    var cumulative: UInt64 = 0
                    for (i, b) in fam.buckets.enumerated() {
                        cumulative += h.counts[i]
                        out += "\(name)_bucket\(Self.join(key, "le=\"\(String(b))\"")) \(cumulative)\n"
                    }
                    out += "\(name)_bucket\(Self.join(key, "le=\"+Inf\"")) \(h.count)\n"
                    out += "\(name)_sum\(key) \(Self.number(h.sum))\n"
                    out += "\(name)_count\(key) \(h.count)\n"
                }
            } else {
                for key in fam.values.keys.sorted() { out += "\(name)\(key) \(Self.number(fam.values[key]!))\n" }
            }
        }
        return out
    }

    static func labelText(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.keys.sorted().map { "\($0)=\"\(escapeLabel(labels[$0]!))\"" }.joined(separator: ",") + "}"
    }

    static func join(_ key: String, _ extra: String) -> String {
        key.isEmpty ? "{\(extra)}" : String(key.dropLast()) + ",\(extra)}"
    }

    static func escapeLabel(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "\\": o += "\\\\"
            case "\"": o += "\\\""
            case "\n": o += "\\n"
            default: o.append(c)
            }
        }
        return o
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
