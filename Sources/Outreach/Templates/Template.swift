/// A compiled Mustache template: parsed once, rendered for every recipient.
///
/// Partials and parents are looked up by name at render time in the `partials` table the caller
/// passes, so one compiled partial serves every template that includes it. A name that is not in
/// the table renders as nothing (as the spec asks); `TemplateLibrary.check` refuses such names.
public struct Template: Sendable {
    /// Where the source came from, for error messages.
    public let file: String
    /// How interpolated values are escaped when this template is rendered as the outer template.
    public let escaping: TemplateEscaping
    let nodes: [TemplateNode]
    /// The partials and parents named by fixed names, with their positions.
    public let references: [TemplateReference]

    /// Compiles `source`; throws a `TemplateError.syntax` naming file, line and column.
    /// `firstLine` is the file line the source starts on (after front matter).
    public init(source: String, file: String, escaping: TemplateEscaping, firstLine: Int = 1) throws(TemplateError) {
        self.file = file
        self.escaping = escaping
        (nodes, references) = try TemplateParser.parse(source, file: file, firstLine: firstLine)
    }

    /// The default of `[templates] max_render_bytes`: 4 MiB, far above any message, far below memory.
    public static let defaultMaxRenderBytes = 4 << 20

    /// Renders with `context` at the bottom of the context stack; refuses output over `maxBytes`.
    /// `builtins`, when given, is a frame above `context`: its names win over the data's.
    public func render(
        _ context: JSON, partials: [String: Template] = [:],
        maxBytes: Int = Template.defaultMaxRenderBytes, builtins: JSON? = nil
    ) throws(TemplateError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        try render(context, partials: partials, into: &out, maxBytes: maxBytes, builtins: builtins)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the rendering to `out` (no intermediate strings); `out` may grow by at most `maxBytes`.
    public func render(
        _ context: JSON, partials: [String: Template], into out: inout [UInt8],
        maxBytes: Int = Template.defaultMaxRenderBytes, builtins: JSON? = nil
    ) throws(TemplateError) {
        var r = TemplateRenderer(escaping: escaping, partials: partials, file: file, out: out, maxBytes: maxBytes)
        out = []
        r.stack.append(context)
        if let builtins { r.stack.append(builtins) }
        try r.render(nodes, indent: [])
        out = r.out
    }
}
