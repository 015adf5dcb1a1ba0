import Foundation

/// The words of an HTML part, for bounces whose only text is HTML (Office 365's NDR): tags dropped,
/// block ends as line breaks, the common entities decoded. Not a renderer.
enum HTMLText {
    static func plain(_ html: String) -> String {
        var out = ""
        var tag = ""
        var inTag = false
        for c in html {
            if inTag {
                if c == ">" {
                    inTag = false
                    let name =
                        tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" || $0.isNewline })
                        .first.map(String.init) ?? ""
                    if ["br", "p", "div", "tr", "li", "table", "h1", "h2", "h3"].contains(name) { out += "\n" }
                    tag = ""
                } else if tag.count < 64 {
                    tag.append(c)
                }
            } else if c == "<" {
                inTag = true
            } else {
                out.append(c)
            }
        }
        return entities(out)
    }

    static func entities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = s
        for (e, v) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
        {
            out = out.replacingOccurrences(of: e, with: v)
        }
        return out
    }
}
