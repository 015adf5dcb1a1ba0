/// A problem with a template: where it is (file, line, column) and what the author must fix.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not parse: an unclosed section, a bad tag, a stray closing tag.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// `{{>name}}` names a partial that no file provides.
    case unknownPartial(name: String, file: String, line: Int, column: Int)
    /// `{{<name}}` names a parent layout that no file provides.
    case unknownParent(name: String, file: String, line: Int, column: Int)
    /// The `---` block at the top of a file is malformed.
    case frontMatter(file: String, line: Int, message: String)
    /// An email variant has no `subject:` in its front matter.
    case missingSubject(file: String)
    /// A locale has an HTML email part but no text part.
    case htmlWithoutText(file: String)
    /// A file in the template folder whose name does not follow `<kind>.<locale>.<ext>`.
    case badFileName(file: String, message: String)
    /// A file that could not be read (or is not UTF-8).
    case unreadable(file: String, reason: String)
    /// No template folder of that name exists.
    case unknownTemplate(name: String)
    /// The template exists but has no file for that channel kind in any locale of the fallback chain.
    case noVariant(template: String, kind: String, locales: [String])
    /// Partials or parents include each other without end.
    case recursionTooDeep(file: String)
    /// The rendered text would be larger than `[templates] max_render_bytes` (bytes).
    case renderTooLarge(file: String, limit: Int)
    /// One rendering visited more than `steps` tags and texts (sections over lists nested in each other).
    case tooMuchWork(file: String, steps: Int)
    /// Sections, partials, parents and blocks open inside each other more than `levels` deep while rendering.
    case nestedTooDeep(file: String, levels: Int)

    public var description: String {
        switch self {
        case .syntax(let f, let l, let c, let m): return "\(f):\(l):\(c): \(m)."
        case .unknownPartial(let n, let f, let l, let c): return "\(f):\(l):\(c): unknown partial '\(n)'."
        case .unknownParent(let n, let f, let l, let c): return "\(f):\(l):\(c): unknown parent layout '\(n)'."
        case .frontMatter(let f, let l, let m): return "\(f):\(l): front matter \(m)."
        case .missingSubject(let f): return "\(f): an email needs a 'subject:' line in its front matter."
        case .htmlWithoutText(let f):
            return "\(f): this locale has an HTML part but no text part; add the .txt file beside it."
        case .badFileName(let f, let m): return "\(f): \(m)."
        case .unreadable(let f, let r): return "Cannot read template \(f): \(r)."
        case .unknownTemplate(let n): return "There is no template named '\(n)'."
        case .noVariant(let t, let k, let ls):
            return "Template '\(t)' has no \(k) variant for any of the locales \(ls.joined(separator: ", "))."
        case .recursionTooDeep(let f): return "\(f): partials or parents include each other more than 100 levels deep."
        case .renderTooLarge(let f, let limit):
            return "\(f): the rendered text would be larger than \(limit) bytes, the limit set by [templates]"
                + " max_render_bytes (partials that include each other several times multiply it)."
        case .tooMuchWork(let f, let n):
            return "\(f): rendering took more than \(n) steps; sections over lists are nested in each other too deeply"
                + " or partials include each other too often."
        case .nestedTooDeep(let f, let n):
            return "\(f): sections and partials open inside each other more than \(n) levels deep."
        }
    }
}
