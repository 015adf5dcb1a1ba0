import Foundation
import Outreach

/// `render TEMPLATE --bench CONTEXTS.jsonl` (hidden): renders the template once per JSON line and
/// reports renders per second, for bench/templates/run.sh. Parsing the file is not timed.
extension RenderCommand {
    static func benchmark(
        library: TemplateLibrary, template: String, kind: ChannelKind, locale: String?, contextsFile: String
    ) throws -> Int32 {
        let text = try RenderCommand.readText(contextsFile)
        var contexts: [JSON] = []
        for line in text.utf8.split(separator: 0x0A) where !line.isEmpty {
            do { contexts.append(try JSON.parse(Array(line))) } catch {
                throw CLIError.badFile(path: contextsFile, problem: "line \(contexts.count + 1): \(error.description)")
            }
        }
        var bytes = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for c in contexts {
            let r = try library.render(template, kind: kind, locale: locale, context: c)
            bytes += r.text.utf8.count + (r.html?.utf8.count ?? 0) + (r.subject?.utf8.count ?? 0)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        Output.write(
            "renders=\(contexts.count) seconds=\(String(format: "%.3f", seconds)) per_second=\(Int(Double(contexts.count) / seconds)) bytes=\(bytes)\n"
        )
        return 0
    }
}
