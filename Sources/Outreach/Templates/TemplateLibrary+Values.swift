extension Template {
    /// The names among `names` that this template writes out (`{{organisation}}`) where no section
    /// on the same name tests it (`{{#organisation}}…{{/organisation}}` guards what is inside).
    /// Partials are not followed: each partial file answers for itself.
    func unguardedValues(among names: Set<String>) -> Set<String> {
        var out: Set<String> = []
        Self.collect(nodes, names, guarded: [], into: &out)
        return out
    }

    private static func collect(
        _ nodes: [TemplateNode], _ names: Set<String>, guarded: Set<String>, into out: inout Set<String>
    ) {
        for node in nodes {
            switch node {
            case .value(let name, _):
                if let first = name.parts.first, names.contains(first), !guarded.contains(first) { out.insert(first) }
            case .section(let name, let body), .inverted(let name, let body):
                let inside = name.parts.count == 1 ? guarded.union([name.parts[0]]) : guarded
                collect(body, names, guarded: inside, into: &out)
            case .parent(_, _, let arguments):
                for body in arguments.values { collect(body, names, guarded: guarded, into: &out) }
            case .block(_, _, let content): collect(content, names, guarded: guarded, into: &out)
            case .text, .partial: break
            }
        }
    }
}

extension TemplateLibrary {
    /// For each of `names`, the files (sorted) that write it out unguarded, subjects included: the
    /// values a message shows blank when nothing gives them.
    public func unguardedUses(of names: Set<String>) -> [String: [String]] {
        guard !names.isEmpty else { return [:] }
        var out: [String: Set<String>] = [:]
        func look(_ f: File) {
            for t in [f.template, f.subject].compactMap({ $0 }) {
                for n in t.unguardedValues(among: names) { out[n, default: []].insert(f.path) }
            }
        }
        for byLocale in sharedFiles.values { for byExt in byLocale.values { byExt.values.forEach(look) } }
        for kinds in templates.values {
            for byLocale in kinds.values {
                for v in byLocale.values { [v.txt, v.html, v.json].compactMap { $0 }.forEach(look) }
            }
        }
        return out.mapValues { $0.sorted() }
    }

    /// `check`'s warnings about the `[sender]` values templates write out that the configuration
    /// does not give (`Config.senderTemplateKeys` missing from `provided`): such a message shows a
    /// blank where the organisation's name should be, unless every message's or list's data gives it.
    public func missingValueWarnings(provided: [String: JSON]) -> [String] {
        let missing = Set(Config.senderTemplateKeys).subtracting(provided.keys)
        return unguardedUses(of: missing).sorted { $0.key < $1.key }.map { name, files in
            let shown =
                files.prefix(3).joined(separator: ", ") + (files.count > 3 ? " and \(files.count - 3) more" : "")
            return "{{\(name)}} is written out by \(shown), but the configuration does not give it: set [sender] "
                + "\(name) (or give \(name) in the --data of every list, event and message), or it shows blank"
        }
    }
}
