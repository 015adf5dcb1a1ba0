import Foundation

/// An email to build: headers, text and HTML alternatives, a calendar part, attachments.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    public var html: String?
    /// `text/calendar` alternative (RFC 6047), also attached as `invite.ics`.
    public var calendar: CalendarPart?
    public var attachments: [MailAttachment] = []
    /// Without angle brackets; stable per delivery so a resend carries the same id.
    public var messageID: String
    public var date: Date
    /// List mail: `List-Id`, and with `unsubscribeURL` the RFC 8058 one-click headers.
    public var listID: String?
    public var unsubscribeURL: String?
    /// Other headers (name, value), e.g. `Auto-Submitted`.
    public var extraHeaders: [(String, String)] = []

    public init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
        messageID: String, date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
    }

    /// `<delivery>.<message>.<created>@<domain>`: the same for every attempt of one delivery.
    public static func stableID(deliveryID: Int64, messageID: Int64, createdAt: Int64, domain: String) -> String {
        "outreach.\(deliveryID).\(messageID).\(String(createdAt, radix: 36))@\(domain)"
    }
}

public struct MailAttachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// Reads a file, guessing the content type from its extension.
    public static func file(_ path: String) throws(MIMEError) -> MailAttachment {
        guard let d = FileManager.default.contents(atPath: path) else { throw .unreadableAttachment(path: path) }
        let name = (path as NSString).lastPathComponent
        return MailAttachment(
            filename: name, contentType: contentType(forExtension: (name as NSString).pathExtension), data: Array(d))
    }

    public static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "pdf": return "application/pdf"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "svg": return "image/svg+xml"
        case "txt": return "text/plain; charset=UTF-8"
        case "csv": return "text/csv; charset=UTF-8"
        case "ics": return "text/calendar; charset=UTF-8"
        case "doc": return "application/msword"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "odt": return "application/vnd.oasis.opendocument.text"
        case "zip": return "application/zip"
        default: return "application/octet-stream"
        }
    }
}

/// An iCalendar object sent as an invitation, update or cancellation.
public struct CalendarPart: Sendable, Equatable {
    /// `REQUEST` or `CANCEL`.
    public var method: String
    public var ics: String
    public init(method: String, ics: String) {
        self.method = method
        self.ics = ics
    }
}
