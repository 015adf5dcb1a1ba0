import Foundation
import Outreach
import Testing

/// The registry's text read back by the reference Prometheus client parser.
struct MetricsRegistryTests {
    @Test func histogramsCountersAndEscapedLabelsParse() throws {
        let r = MetricsRegistry()
        r.declare("t_seconds", .histogram, help: "A histogram.\nWith a newline.", buckets: [0.1, 1])
        r.declare("t_total", .counter, help: "A counter.")
        for v in [0.05, 0.5, 0.5, 7] { r.observe("t_seconds", ["channel": "mail"], v) }
        r.add("t_total", ["channel": "a \"quoted\" \\ name\nnext"], 3)
        let parsed = try TestSupport.python(
            """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for f in text_string_to_metric_families(sys.stdin.read()):
                out[f.name] = {"type": f.type, "help": f.documentation,
                               "samples": {s.name + json.dumps(s.labels, sort_keys=True): s.value for s in f.samples}}
            print(json.dumps(out))
            """, stdin: Array(r.render().utf8))
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let m = try JSON.parse(parsed.stdout)
        func value(_ family: String, _ key: String) -> Double? {
            if case .number(let s) = m[family]?["samples"]?[key] { return Double(s) }
            return nil
        }
        #expect(m["t_seconds"]?["type"]?.stringValue == "histogram")
        #expect(m["t_seconds"]?["help"]?.stringValue == "A histogram.\nWith a newline.")
        #expect(value("t_seconds", #"t_seconds_bucket{"channel": "mail", "le": "0.1"}"#) == 1)
        #expect(value("t_seconds", #"t_seconds_bucket{"channel": "mail", "le": "1.0"}"#) == 3)
        #expect(value("t_seconds", #"t_seconds_bucket{"channel": "mail", "le": "+Inf"}"#) == 4)
        #expect(value("t_seconds", #"t_seconds_count{"channel": "mail"}"#) == 4)
        #expect(value("t_seconds", #"t_seconds_sum{"channel": "mail"}"#) == 8.05)
        #expect(m["t"]?["type"]?.stringValue == "counter")
        #expect(value("t", #"t_total{"channel": "a \"quoted\" \\ name\nnext"}"#) == 3)
    }
}
