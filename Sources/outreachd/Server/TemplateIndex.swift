import Foundation

/// Which templates exist, and for which channel kinds: read from the templates folder at start and
/// on SIGHUP, so a trigger naming an unknown template is refused (422) without touching the disk.
struct TemplateIndex: Sendable {
    /// Template name → kinds it has a file for (`email`, `sms`, `chat`).
    let kinds: [String: Set<String>]

    init(directory: String) {
        var kinds: [String: Set<String>] = [:]
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where !name.hasPrefix(".") {
            if name == "layouts" || name == "partials" { continue }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: directory + "/" + name, isDirectory: &isDir), isDir.boolValue else { continue }
            var set: Set<String> = []
            for file in (try? fm.contentsOfDirectory(atPath: directory + "/" + name)) ?? [] {
                if let kind = file.split(separator: ".").first { set.insert(String(kind)) }
            }
            kinds[name] = set
        }
        self.kinds = kinds
    }

    func has(_ template: String) -> Bool { kinds[template] != nil }
    func has(_ template: String, kind: String) -> Bool { kinds[template]?.contains(kind) ?? false }
}
