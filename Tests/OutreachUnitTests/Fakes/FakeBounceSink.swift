import Outreach
import Synchronization

/// A `BounceSink` that applies nothing: it records every report handed to it with its source, so
/// a test can see what a way in would have applied (and that a refused request applied nothing).
final class FakeBounceSink: BounceSink {
    struct Applied: Equatable {
        var report: BounceReport
        var source: String
    }

    private let state = Mutex<(applied: [Applied], ingested: [String])>(([], []))

    /// Every `apply` call, in order.
    var applied: [Applied] { state.withLock { $0.applied } }
    /// Every result applied, of all calls.
    var results: [BounceResult] { applied.flatMap(\.report.results) }

    func ingest(message: [UInt8], source: String) throws -> BounceIngestOutcome {
        state.withLock { $0.ingested.append(source) }
        return .notABounce
    }

    func apply(_ report: BounceReport, source: String) throws {
        state.withLock { $0.applied.append(Applied(report: report, source: source)) }
    }
}
