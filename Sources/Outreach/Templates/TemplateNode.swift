/// A dotted name resolved against the context stack; no parts means `.` (the top of the stack).
struct TemplateName: Sendable {
    let parts: [String]
    let text: String

    init(_ text: String) {
        self.text = text
        parts = text == "." ? [] : text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Which template a partial or parent tag includes: fixed, or looked up in the data (`{{>*name}}`).
enum TemplateReferenceName: Sendable {
    case fixed(String)
    case dynamic(TemplateName)
}

/// One node of a compiled template. The tree is built once and rendered for every recipient.
indirect enum TemplateNode: Sendable {
    case text([UInt8])
    case value(TemplateName, escaped: Bool)
    case section(TemplateName, [TemplateNode])
    case inverted(TemplateName, [TemplateNode])
    /// `indent` is nil when the tag is not standalone (the partial is then not indented).
    case partial(TemplateReferenceName, indent: [UInt8]?)
    /// A parent (`{{<layout}}`) with the blocks it passes.
    case parent(TemplateReferenceName, indent: [UInt8]?, arguments: [String: [TemplateNode]])
    /// A block (`{{$body}}`): its default content, and the indentation added to whatever fills it.
    case block(String, indent: [UInt8], content: [TemplateNode])
}

/// A partial or parent named by a template, with where the tag is (for `check`).
public struct TemplateReference: Sendable, Equatable {
    public var name: String
    public var isParent: Bool
    public var line: Int
    public var column: Int
}
