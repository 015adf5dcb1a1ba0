extension Template {
    /// The bytes of text this template expands to when every section renders once and every value
    /// is empty, partials and parents expanded, saturating at `Int.max`. It is what the template
    /// itself multiplies: `check` refuses a template over `[templates] max_render_bytes` by this
    /// measure, without rendering it. Each partial is measured once; a partial reached again
    /// through itself counts nothing (such recursion is bounded by the data, which `render` limits).
    func expansionSize(partials: [String: Template]) -> Int {
        var measured: [String: Int] = [:]
        var open: Set<String> = []
        return Self.expansionSize(nodes, partials, &measured, &open)
    }

    private static func expansionSize(
        _ nodes: [TemplateNode], _ partials: [String: Template],
        _ measured: inout [String: Int], _ open: inout Set<String>
    ) -> Int {
        var total = 0
        for node in nodes {
            let n: Int
            switch node {
            case .text(let t): n = t.count
            case .value: n = 0
            case .section(_, let body), .inverted(_, let body): n = expansionSize(body, partials, &measured, &open)
            case .partial(let ref, _): n = partialSize(ref, partials, &measured, &open)
            case .parent(let ref, _, let arguments):
                // The layout with its own blocks, plus every block passed: at least what renders.
                n = arguments.values.reduce(partialSize(ref, partials, &measured, &open)) {
                    add($0, expansionSize($1, partials, &measured, &open))
                }
            case .block(_, _, let content): n = expansionSize(content, partials, &measured, &open)
            }
            total = add(total, n)
        }
        return total
    }

    private static func partialSize(
        _ ref: TemplateReferenceName, _ partials: [String: Template],
        _ measured: inout [String: Int], _ open: inout Set<String>
    ) -> Int {
        guard case .fixed(let name) = ref, let t = partials[name] else { return 0 }
        if let size = measured[name] { return size }
        guard open.insert(name).inserted else { return 0 }
        let size = expansionSize(t.nodes, partials, &measured, &open)
        open.remove(name)
        measured[name] = size
        return size
    }

    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
