/// One template rendered for one recipient and channel kind.
public struct RenderedTemplate: Sendable, Equatable {
    /// The locale whose files were used (after fallback).
    public var locale: String
    /// The rendered `subject:` (email).
    public var subject: String?
    /// The text part (email), the message (sms, chat); empty when only other parts exist.
    public var text: String
    /// The HTML part of an email, when the template has one.
    public var html: String?
    /// The JSON body of a chat variant (`chat.L.json`), when the template has one.
    public var json: String?
    /// All front matter keys of the files used (the text part's win).
    public var frontMatter: [String: String]
    /// The provider-approved template the text part's front matter names, its parameters rendered.
    public var approvedTemplate: ApprovedTemplate?

    public init(
        locale: String, subject: String? = nil, text: String, html: String? = nil, json: String? = nil,
        frontMatter: [String: String] = [:]
    ) {
        self.locale = locale
        self.subject = subject
        self.text = text
        self.html = html
        self.json = json
        self.frontMatter = frontMatter
    }
}
