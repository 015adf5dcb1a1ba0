import Foundation
import Outreach

/// The small HTML pages behind confirm and unsubscribe links and the sign-up form, in the person's
/// language (their contact locale or the form's `locale`, else the browser's Accept-Language),
/// English when we have none. Arabic and Persian pages are right-to-left.
enum LinkPages {
    struct Strings {
        var lang: String
        var unsubscribeTitle: String
        var unsubscribeQuestion: String  // {list} and {address} are filled in
        var unsubscribeButton: String
        var unsubscribedTitle: String
        var unsubscribedText: String
        var confirmedTitle: String
        var confirmedText: String
        var invalidTitle: String
        var invalidText: String
        var expiredText: String
        var allLists: String
        var confirmTitle: String
        var confirmQuestion: String  // {list} and {address} are filled in
        var confirmButton: String
        var staleText: String  // {list}
        var pendingTitle: String
        var pendingText: String  // {address} and {list}
        var failedTitle: String
        var badInputText: String
        var tooManyText: String
        var unknownListText: String
        var serverErrorText: String

        /// The writing direction of the language.
        var dir: String { Self.rightToLeft.contains(lang) ? "rtl" : "ltr" }
        static let rightToLeft: Set<String> = ["ar", "fa", "he", "ur"]
    }

    /// The page language for the first of `preferences` (locales or Accept-Language headers) that
    /// we have, else English (`PageLanguage.choose`).
    static func language(_ preferences: [String?]) -> Strings {
        strings[PageLanguage.choose(preferences, available: Set(strings.keys))] ?? strings["en"]!
    }

    static func language(_ preference: String?) -> Strings { language([preference]) }

    /// Fills in {list} and {address}, each isolated (`bdi`) so an address or a Latin title keeps
    /// its own direction inside right-to-left text.
    static func fill(_ template: String, list: String, address: String, _ s: Strings) -> String {
        let l = list.isEmpty ? escape(s.allLists) : "<strong><bdi>\(escape(list))</bdi></strong>"
        return template.replacingOccurrences(of: "{list}", with: l)
            .replacingOccurrences(of: "{address}", with: "<strong><bdi>\(escape(address))</bdi></strong>")
    }

    static func page(_ s: Strings, title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(s.lang)" dir="\(s.dir)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>\(escape(title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
        button{font-size:1rem;padding:.6rem 1.4rem;cursor:pointer}</style></head>
        <body><h1>\(escape(title))</h1>
        \(body)
        </body></html>

        """
    }

    static func unsubscribeForm(_ s: Strings, list: String, address: String) -> String {
        page(
            s, title: s.unsubscribeTitle,
            body: """
                <p>\(fill(s.unsubscribeQuestion, list: list, address: address, s))</p>
                <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">\(escape(s.unsubscribeButton))</button></form>
                """)
    }

    static func confirmForm(_ s: Strings, list: String, address: String) -> String {
        page(
            s, title: s.confirmTitle,
            body: """
                <p>\(fill(s.confirmQuestion, list: list, address: address, s))</p>
                <form method="post"><input type="hidden" name="confirm" value="yes">
                <button type="submit">\(escape(s.confirmButton))</button></form>
                """)
    }

    static func stale(_ s: Strings, list: String) -> String {
        page(s, title: s.invalidTitle, body: "<p>\(fill(s.staleText, list: list, address: "", s))</p>")
    }

    static func unsubscribed(_ s: Strings, list: String, address: String) -> String {
        page(s, title: s.unsubscribedTitle, body: "<p>\(fill(s.unsubscribedText, list: list, address: address, s))</p>")
    }

    /// The built-in thank-you page of a sign-up that waits for the person's confirmation.
    static func checkInbox(_ s: Strings, list: String, address: String) -> String {
        page(s, title: s.pendingTitle, body: "<p>\(fill(s.pendingText, list: list, address: address, s))</p>")
    }

    /// A sign-up refused, for a browser: what to do in the person's language, and the precise
    /// reason (as the JSON API gives it) for whoever runs the page.
    static func signUpFailed(_ s: Strings, status: Int, detail: String) -> String {
        let text: String
        switch status {
        case 429: text = s.tooManyText
        case 404: text = s.unknownListText
        case 500...: text = s.serverErrorText
        default: text = s.badInputText
        }
        return page(
            s, title: s.failedTitle,
            body: "<p>\(escape(text))</p>\n<p><small lang=\"en\" dir=\"ltr\">\(escape(detail))</small></p>")
    }

    static func confirmed(_ s: Strings, list: String) -> String {
        page(s, title: s.confirmedTitle, body: "<p>\(fill(s.confirmedText, list: list, address: "", s))</p>")
    }

    static func invalid(_ s: Strings, _ error: LinkTokenError) -> String {
        page(s, title: s.invalidTitle, body: "<p>\(escape(error == .expired ? s.expiredText : s.invalidText))</p>")
    }

    static func escape(_ t: String) -> String { TemplateEscaping.html(t) }
}
