import Foundation

/// Automatic replies (RFC 3834 and the older headers): an out-of-office answer is no bounce, and
/// says so with `auto-reply`.
enum AutoReply {
    /// `Auto-Submitted: auto-replied` (not `auto-generated`, which is what a DSN carries),
    /// `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`, or a subject such as "Out of Office".
    static func isAutoReply(_ h: MessageHeaders) -> Bool {
        if let a = h.first("auto-submitted")?.lowercased(), a.hasPrefix("auto-replied") { return true }
        if let x = h.first("x-autoreply")?.lowercased(), x != "no" { return true }
        if h.first("x-autorespond") != nil { return true }
        if h.first("precedence")?.trimmingSpaces.lowercased() == "auto_reply" { return true }
        let subject = BodyDecoding.headerText(h.first("subject") ?? "").lowercased()
        return subjectPhrases.contains { subject.contains($0) }
            || subjectPrefixes.contains { subject.hasPrefix($0) }
    }

    static let subjectPhrases = [
        "out of office", "out of the office", "automatic reply", "auto-reply", "autoreply", "auto reply",
        "automatische antwort", "abwesenheitsnotiz", "réponse automatique", "respuesta automática",
        "risposta automatica", "automatisch antwoord",
    ]
    static let subjectPrefixes = ["auto:", "vacation:", "away:", "on vacation"]

    /// The person who answered (From) and what they said (the subject).
    static func result(_ h: MessageHeaders) -> BounceResult {
        let from = h.first("from").flatMap { BounceAddress.all(in: $0).last }
        let subject = h.first("subject").map { DeliveryStatus.oneLine(BodyDecoding.headerText($0)) }
        return BounceResult(recipient: from, kind: .autoReply, diagnostic: subject)
    }
}
