import Foundation
import Outreach

/// The small HTML pages behind confirm and unsubscribe links, in the recipient's language
/// (their contact locale, else the browser's Accept-Language), English when we have none.
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
    }

    static let strings: [String: Strings] = [
        "en": Strings(
            lang: "en", unsubscribeTitle: "Unsubscribe",
            unsubscribeQuestion: "Stop sending {list} to {address}?", unsubscribeButton: "Unsubscribe",
            unsubscribedTitle: "You are unsubscribed", unsubscribedText: "{address} will no longer receive {list}.",
            confirmedTitle: "Subscription confirmed", confirmedText: "Thank you. You are now subscribed to {list}.",
            invalidTitle: "This link does not work", invalidText: "The link is incomplete or was not issued by us.",
            expiredText: "The link has expired.", allLists: "our mailings",
            confirmTitle: "Confirm your subscription",
            confirmQuestion: "Subscribe {address} to {list}?", confirmButton: "Confirm",
            staleText:
                "This link no longer subscribes you: you unsubscribed from {list} after it was sent. Sign up again to receive it."
        ),
        "da": Strings(
            lang: "da", unsubscribeTitle: "Afmeld",
            unsubscribeQuestion: "Skal vi stoppe med at sende {list} til {address}?", unsubscribeButton: "Afmeld",
            unsubscribedTitle: "Du er afmeldt", unsubscribedText: "{address} modtager ikke længere {list}.",
            confirmedTitle: "Tilmelding bekræftet", confirmedText: "Tak. Du er nu tilmeldt {list}.",
            invalidTitle: "Linket virker ikke", invalidText: "Linket er ufuldstændigt eller ikke udstedt af os.",
            expiredText: "Linket er udløbet.", allLists: "vores udsendelser",
            confirmTitle: "Bekræft din tilmelding",
            confirmQuestion: "Tilmeld {address} til {list}?", confirmButton: "Bekræft",
            staleText:
                "Dette link tilmelder dig ikke længere: du afmeldte {list}, efter det blev sendt. Tilmeld dig igen for at modtage det."
        ),
        "sv": Strings(
            lang: "sv", unsubscribeTitle: "Avregistrera",
            unsubscribeQuestion: "Ska vi sluta skicka {list} till {address}?", unsubscribeButton: "Avregistrera",
            unsubscribedTitle: "Du är avregistrerad", unsubscribedText: "{address} får inte längre {list}.",
            confirmedTitle: "Prenumerationen är bekräftad", confirmedText: "Tack. Du prenumererar nu på {list}.",
            invalidTitle: "Länken fungerar inte", invalidText: "Länken är ofullständig eller inte utfärdad av oss.",
            expiredText: "Länken har gått ut.", allLists: "våra utskick",
            confirmTitle: "Bekräfta din prenumeration",
            confirmQuestion: "Prenumerera på {list} med {address}?", confirmButton: "Bekräfta",
            staleText:
                "Den här länken prenumererar dig inte längre: du avregistrerade dig från {list} efter att den skickades. Anmäl dig igen för att få det."
        ),
        "de": Strings(
            lang: "de", unsubscribeTitle: "Abmelden",
            unsubscribeQuestion: "Sollen wir aufhören, {list} an {address} zu senden?", unsubscribeButton: "Abmelden",
            unsubscribedTitle: "Sie sind abgemeldet", unsubscribedText: "{address} erhält {list} nicht mehr.",
            confirmedTitle: "Anmeldung bestätigt", confirmedText: "Danke. Sie haben {list} jetzt abonniert.",
            invalidTitle: "Dieser Link funktioniert nicht",
            invalidText: "Der Link ist unvollständig oder stammt nicht von uns.",
            expiredText: "Der Link ist abgelaufen.", allLists: "unsere Aussendungen",
            confirmTitle: "Anmeldung bestätigen",
            confirmQuestion: "{address} für {list} anmelden?", confirmButton: "Bestätigen",
            staleText:
                "Dieser Link meldet Sie nicht mehr an: Sie haben {list} abbestellt, nachdem er verschickt wurde. Melden Sie sich erneut an."
        ),
    ]

    /// The first language of an Accept-Language header (or a locale) that we have, else English.
    static func language(_ header: String?) -> Strings {
        guard let header else { return strings["en"]! }
        let ranked = header.split(separator: ",").map { part -> (String, Double) in
            let pieces = part.split(separator: ";")
            let tag = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let q =
                pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            return (tag, q)
        }.sorted { $0.1 > $1.1 }
        for (tag, _) in ranked {
            let primary = String(tag.split(separator: "-").first ?? "")
            if let s = strings[primary] { return s }
            if primary == "nb" || primary == "nn" || primary == "no" { return strings["da"]! }
        }
        return strings["en"]!
    }

    static func fill(_ template: String, list: String, address: String, _ s: Strings) -> String {
        template.replacingOccurrences(
            of: "{list}", with: "<strong>\(escape(list.isEmpty ? s.allLists : list))</strong>"
        )
        .replacingOccurrences(of: "{address}", with: "<strong>\(escape(address))</strong>")
    }

    static func page(_ s: Strings, title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(s.lang)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
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

    static func unsubscribed(_ s: Strings, list: String) -> String {
        page(
            s, title: s.unsubscribedTitle,
            body:
                "<p>\(fill(s.unsubscribedText, list: list, address: "", s).replacingOccurrences(of: "<strong></strong> ", with: ""))</p>"
        )
    }

    static func confirmed(_ s: Strings, list: String) -> String {
        page(s, title: s.confirmedTitle, body: "<p>\(fill(s.confirmedText, list: list, address: "", s))</p>")
    }

    static func invalid(_ s: Strings, _ error: LinkTokenError) -> String {
        page(s, title: s.invalidTitle, body: "<p>\(escape(error == .expired ? s.expiredText : s.invalidText))</p>")
    }

    static func escape(_ t: String) -> String { TemplateEscaping.html(t) }
}
