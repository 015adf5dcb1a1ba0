import Foundation

/// Files attached to an email (`send --attach`, `campaigns create --attach`), checked before
/// anything is stored: they are stored by path and read again when each message is built.
public enum Attachments {
    /// The most a message's attachments may weigh together before encoding: base64 makes them a
    /// third larger, many mail servers refuse messages over 10 to 25 MB, and every recipient
    /// downloads them.
    public static let maxTotalBytes = 10 * 1024 * 1024

    /// Checks the files: each a readable regular file, all together within `maxTotalBytes`.
    /// - Returns: their absolute paths, as stored.
    /// - Throws: `AttachmentError` naming the file, or the total and the limit.
    @discardableResult
    public static func checked(_ paths: [String]) throws(AttachmentError) -> [String] {
        var total = 0
        var out: [String] = []
        for p in paths {
            let path = URL(fileURLWithPath: p).standardizedFileURL.path
            // Symbolic links followed: what is read at send time is the file they point to.
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: real),
                FileManager.default.isReadableFile(atPath: real)
            else { throw .unreadable(p) }
            guard attributes[.type] as? FileAttributeType == .typeRegular else { throw .notAFile(p) }
            total += (attributes[.size] as? NSNumber)?.intValue ?? 0
            out.append(path)
        }
        guard total <= maxTotalBytes else { throw .tooLarge(bytes: total) }
        return out
    }

    /// Attachments travel by email only: a message with attachments to any other channel is refused.
    /// - Throws: `AttachmentError.notEmail` naming the first channel that is not email.
    public static func check(channels: [any Channel]) throws(AttachmentError) {
        if let other = channels.first(where: { $0.kind != .email }) {
            throw .notEmail(channel: other.name, kind: other.kind)
        }
    }
}

/// An attachment refused, and what to do instead.
public enum AttachmentError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    /// A pipe, a device or a folder: it could not be read again when the message is sent.
    case notAFile(String)
    case tooLarge(bytes: Int)
    case notEmail(channel: String, kind: ChannelKind)

    public var description: String {
        switch self {
        case .unreadable(let p): return "The attachment \(p) cannot be read."
        case .notAFile(let p):
            return
                "The attachment \(p) is not a regular file; attach a file (it is read again when the message is sent)."
        case .tooLarge(let bytes):
            let mb = String(format: "%.1f", Double(bytes) / 1_048_576)
            return "The attachments come to \(mb) MB, over the \(Attachments.maxTotalBytes / 1_048_576) MB a message "
                + "may carry (encoded they grow by a third, and many mail servers refuse larger messages); put the "
                + "file on a web page and send its link."
        case .notEmail(let channel, let kind):
            return "--attach: channel '\(channel)' sends \(kind.rawValue); only email channels carry attachments."
        }
    }
}
