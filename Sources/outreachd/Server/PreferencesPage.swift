import Outreach

/// The preferences page behind the "Manage your subscriptions" link of every footer, in the
/// person's language (their contact locale, else the browser's Accept-Language, else English);
/// Arabic and Persian right to left. Every form posts back to the page's own URL with the token in
/// a hidden field; the page itself changes nothing.
enum PreferencesPage {
    struct Strings {
        var lang: String
        var rtl = false
        var title: String
        var intro: String  // {address}
        var subscribedHeading: String
        var noneSubscribed: String
        var leave: String
        var joinHeading: String
        var join: String
        var languageHeading: String
        var channelHeading: String
        var channelNote: String
        var email: String
        var sms: String
        var save: String
        var left: String  // {list}
        var joined: String  // {list}
        var saved: String
        var unchanged: String
        var notJoinable: String  // {list}
        var suppressed: String  // {address}
        var leftAfterLink: String  // {list}
        var badLanguage: String
        var noAddress: String
        var incomplete: String
    }

    static let strings: [String: Strings] = [
        "en": Strings(
            lang: "en", title: "Your subscriptions", intro: "Settings for {address}.",
            subscribedHeading: "Lists you receive", noneSubscribed: "You receive none of our lists.", leave: "Leave",
            joinHeading: "Lists you can join", join: "Join", languageHeading: "Language",
            channelHeading: "Preferred channel",
            channelNote: "When we can reach you both by email and by text message, we use this one.",
            email: "Email", sms: "Text message (SMS)", save: "Save",
            left: "You left {list}.", joined: "You joined {list}.", saved: "Your choice is saved.",
            unchanged: "Nothing changed.", notJoinable: "{list} is not a list you can join here.",
            suppressed:
                """
                We no longer send mail to {address} (it bounced, or you asked us to stop), so you cannot join a \
                list here. Please contact us.
                """,
            leftAfterLink:
                "You left {list} after this link was sent to you. Use the link in a newer message, or sign up again.",
            badLanguage: "That is not a language we know.", noAddress: "We have no address of yours for that channel.",
            incomplete: "The form was incomplete. Nothing changed."),
        "da": Strings(
            lang: "da", title: "Dine tilmeldinger", intro: "Indstillinger for {address}.",
            subscribedHeading: "Lister, du modtager", noneSubscribed: "Du modtager ingen af vores lister.",
            leave: "Afmeld", joinHeading: "Lister, du kan tilmelde dig", join: "Tilmeld", languageHeading: "Sprog",
            channelHeading: "Foretrukken kanal",
            channelNote: "Når vi kan nå dig både på mail og sms, bruger vi denne.",
            email: "E-mail", sms: "Sms", save: "Gem",
            left: "Du er afmeldt {list}.", joined: "Du er tilmeldt {list}.", saved: "Dit valg er gemt.",
            unchanged: "Intet blev ændret.", notJoinable: "{list} er ikke en liste, du kan tilmelde dig her.",
            suppressed:
                """
                Vi sender ikke længere mail til {address} (den kom retur, eller du bad os stoppe), så du kan ikke \
                tilmelde dig en liste her. Kontakt os venligst.
                """,
            leftAfterLink:
                """
                Du afmeldte {list}, efter dette link blev sendt til dig. Brug linket i en nyere mail, eller \
                tilmeld dig igen.
                """,
            badLanguage: "Det sprog kender vi ikke.", noAddress: "Vi har ingen adresse til dig på den kanal.",
            incomplete: "Formularen var ufuldstændig. Intet blev ændret."),
        "sv": Strings(
            lang: "sv", title: "Dina prenumerationer", intro: "Inställningar för {address}.",
            subscribedHeading: "Listor du får", noneSubscribed: "Du får ingen av våra listor.",
            leave: "Avsluta", joinHeading: "Listor du kan gå med i", join: "Gå med", languageHeading: "Språk",
            channelHeading: "Föredragen kanal",
            channelNote: "När vi kan nå dig både via e-post och sms använder vi den här.",
            email: "E-post", sms: "Sms", save: "Spara",
            left: "Du har lämnat {list}.", joined: "Du är nu med i {list}.", saved: "Ditt val är sparat.",
            unchanged: "Inget ändrades.", notJoinable: "{list} är inte en lista du kan gå med i här.",
            suppressed:
                """
                Vi skickar inte längre e-post till {address} (den studsade, eller du bad oss sluta), så du kan \
                inte gå med i en lista här. Kontakta oss.
                """,
            leftAfterLink:
                """
                Du lämnade {list} efter att länken skickades till dig. Använd länken i ett nyare meddelande, eller \
                anmäl dig igen.
                """,
            badLanguage: "Det språket känner vi inte till.", noAddress: "Vi har ingen adress till dig för den kanalen.",
            incomplete: "Formuläret var ofullständigt. Inget ändrades."),
        "de": Strings(
            lang: "de", title: "Ihre Abonnements", intro: "Einstellungen für {address}.",
            subscribedHeading: "Listen, die Sie erhalten", noneSubscribed: "Sie erhalten keine unserer Listen.",
            leave: "Abmelden", joinHeading: "Listen, die Sie abonnieren können", join: "Abonnieren",
            languageHeading: "Sprache", channelHeading: "Bevorzugter Kanal",
            channelNote: "Wenn wir Sie per E-Mail und per SMS erreichen können, nutzen wir diesen.",
            email: "E-Mail", sms: "SMS", save: "Speichern",
            left: "Sie haben {list} abbestellt.", joined: "Sie haben {list} abonniert.",
            saved: "Ihre Auswahl ist gespeichert.", unchanged: "Nichts wurde geändert.",
            notJoinable: "{list} ist keine Liste, die Sie hier abonnieren können.",
            suppressed:
                """
                Wir senden keine E-Mails mehr an {address} (sie kamen zurück, oder Sie haben uns gebeten \
                aufzuhören), daher können Sie hier keine Liste abonnieren. Bitte kontaktieren Sie uns.
                """,
            leftAfterLink:
                """
                Sie haben {list} abbestellt, nachdem dieser Link verschickt wurde. Nutzen Sie den Link einer \
                neueren Nachricht, oder melden Sie sich erneut an.
                """,
            badLanguage: "Diese Sprache kennen wir nicht.",
            noAddress: "Wir haben keine Adresse von Ihnen für diesen Kanal.",
            incomplete: "Das Formular war unvollständig. Nichts wurde geändert."),
        "it": Strings(
            lang: "it", title: "Le Sue iscrizioni", intro: "Impostazioni per {address}.",
            subscribedHeading: "Liste che riceve", noneSubscribed: "Non riceve nessuna delle nostre liste.",
            leave: "Annulla iscrizione", joinHeading: "Liste a cui può iscriversi", join: "Iscriviti",
            languageHeading: "Lingua", channelHeading: "Canale preferito",
            channelNote: "Quando possiamo raggiungerLa sia per email sia per SMS, usiamo questo.",
            email: "Email", sms: "SMS", save: "Salva",
            left: "Ha lasciato {list}.", joined: "L'iscrizione a {list} è attiva.",
            saved: "La Sua scelta è stata salvata.",
            unchanged: "Nessuna modifica.", notJoinable: "{list} non è una lista a cui può iscriversi qui.",
            suppressed:
                """
                Non inviamo più email a {address} (sono tornate indietro, o ci ha chiesto di smettere), quindi \
                qui non può iscriversi a una lista. Ci contatti.
                """,
            leftAfterLink:
                """
                Ha lasciato {list} dopo che questo link Le è stato inviato. Usi il link di un messaggio più \
                recente, o si iscriva di nuovo.
                """,
            badLanguage: "Non conosciamo questa lingua.", noAddress: "Non abbiamo un Suo indirizzo per questo canale.",
            incomplete: "Il modulo era incompleto. Nessuna modifica."),
        "el": Strings(
            lang: "el", title: "Οι συνδρομές σας", intro: "Ρυθμίσεις για {address}.",
            subscribedHeading: "Λίστες που λαμβάνετε", noneSubscribed: "Δεν λαμβάνετε καμία από τις λίστες μας.",
            leave: "Αποχώρηση", joinHeading: "Λίστες στις οποίες μπορείτε να εγγραφείτε", join: "Εγγραφή",
            languageHeading: "Γλώσσα", channelHeading: "Προτιμώμενο κανάλι",
            channelNote: "Όταν μπορούμε να σας βρούμε και με email και με SMS, χρησιμοποιούμε αυτό.",
            email: "Email", sms: "SMS", save: "Αποθήκευση",
            left: "Αποχωρήσατε από {list}.", joined: "Εγγραφήκατε στο {list}.",
            saved: "Η επιλογή σας αποθηκεύτηκε.", unchanged: "Δεν άλλαξε τίποτα.",
            notJoinable: "Το {list} δεν είναι λίστα στην οποία μπορείτε να εγγραφείτε εδώ.",
            suppressed:
                """
                Δεν στέλνουμε πλέον email στο {address} (επιστράφηκε ή μας ζητήσατε να σταματήσουμε), οπότε δεν \
                μπορείτε να εγγραφείτε σε λίστα εδώ. Επικοινωνήστε μαζί μας.
                """,
            leftAfterLink:
                """
                Αποχωρήσατε από {list} αφού σας στάλθηκε αυτός ο σύνδεσμος. Χρησιμοποιήστε τον σύνδεσμο ενός \
                νεότερου μηνύματος ή εγγραφείτε ξανά.
                """,
            badLanguage: "Δεν γνωρίζουμε αυτή τη γλώσσα.",
            noAddress: "Δεν έχουμε διεύθυνσή σας για αυτό το κανάλι.",
            incomplete: "Η φόρμα ήταν ελλιπής. Δεν άλλαξε τίποτα."),
        "ar": Strings(
            lang: "ar", rtl: true, title: "اشتراكاتك", intro: "الإعدادات الخاصة بـ {address}.",
            subscribedHeading: "القوائم التي تصلك", noneSubscribed: "لا تصلك أي من قوائمنا.",
            leave: "إلغاء الاشتراك", joinHeading: "قوائم يمكنك الاشتراك فيها", join: "اشترك",
            languageHeading: "اللغة", channelHeading: "القناة المفضلة",
            channelNote: "عندما نستطيع الوصول إليك بالبريد الإلكتروني وبالرسائل النصية معًا، نستخدم هذه القناة.",
            email: "البريد الإلكتروني", sms: "رسالة نصية (SMS)", save: "حفظ",
            left: "ألغيت اشتراكك في {list}.", joined: "اشتركت في {list}.", saved: "تم حفظ اختيارك.",
            unchanged: "لم يتغير شيء.", notJoinable: "{list} ليست قائمة يمكنك الاشتراك فيها هنا.",
            suppressed:
                """
                لم نعد نرسل بريدًا إلى {address} (ارتد البريد أو طلبت منا التوقف)، لذا لا يمكنك الاشتراك في قائمة \
                هنا. يرجى التواصل معنا.
                """,
            leftAfterLink:
                "ألغيت اشتراكك في {list} بعد إرسال هذا الرابط إليك. استخدم الرابط في رسالة أحدث، أو اشترك من جديد.",
            badLanguage: "لا نعرف هذه اللغة.", noAddress: "ليس لدينا عنوان لك لهذه القناة.",
            incomplete: "كان النموذج ناقصًا. لم يتغير شيء."),
        "fa": Strings(
            lang: "fa", rtl: true, title: "اشتراک‌های شما", intro: "تنظیمات برای {address}.",
            subscribedHeading: "فهرست‌هایی که دریافت می‌کنید",
            noneSubscribed: "هیچ‌یک از فهرست‌های ما را دریافت نمی‌کنید.",
            leave: "لغو اشتراک", joinHeading: "فهرست‌هایی که می‌توانید عضو شوید", join: "عضویت",
            languageHeading: "زبان", channelHeading: "کانال ترجیحی",
            channelNote: "وقتی بتوانیم هم با ایمیل و هم با پیامک به شما برسیم، از این کانال استفاده می‌کنیم.",
            email: "ایمیل", sms: "پیامک", save: "ذخیره",
            left: "اشتراک شما در {list} لغو شد.", joined: "شما عضو {list} شدید.", saved: "انتخاب شما ذخیره شد.",
            unchanged: "چیزی تغییر نکرد.", notJoinable: "{list} فهرستی نیست که بتوانید اینجا عضو آن شوید.",
            suppressed:
                """
                دیگر به {address} ایمیل نمی‌فرستیم (برگشت خورد یا از ما خواستید متوقف کنیم)، بنابراین نمی‌توانید \
                اینجا عضو فهرستی شوید. لطفاً با ما تماس بگیرید.
                """,
            leftAfterLink:
                """
                شما پس از ارسال این پیوند، اشتراک {list} را لغو کردید. از پیوند یک پیام جدیدتر استفاده کنید یا \
                دوباره ثبت‌نام کنید.
                """,
            badLanguage: "این زبان را نمی‌شناسیم.", noAddress: "برای این کانال نشانی‌ای از شما نداریم.",
            incomplete: "فرم ناقص بود. چیزی تغییر نکرد."),
    ]

    /// Each language's name in itself, for the language menu; a tag not here is shown as is.
    static let languageNames: [String: String] = [
        "en": "English", "da": "Dansk", "sv": "Svenska", "de": "Deutsch", "it": "Italiano", "el": "Ελληνικά",
        "ar": "العربية", "fa": "فارسی", "fr": "Français", "es": "Español", "nl": "Nederlands", "nb": "Norsk bokmål",
        "nn": "Norsk nynorsk", "fi": "Suomi", "pl": "Polski", "pt": "Português", "is": "Íslenska",
    ]

    /// The strings for a contact locale, else the first Accept-Language we have, else English: the
    /// choice of every built-in page (`PageLanguage.choose`).
    static func language(locale: String?, acceptLanguage: String?) -> Strings {
        strings[PageLanguage.choose([locale, acceptLanguage], available: Set(strings.keys))] ?? strings["en"]!
    }

    /// What a POST did, said above the forms.
    enum Notice {
        case done(String)
        case refused(String)
    }

    static func render(_ v: PreferencesView, token: String, _ s: Strings, notice: Notice? = nil) -> String {
        func title(_ l: MailingList) -> String { l.details.titles(name: l.name).text(for: s.lang) }
        func form(_ action: String, _ fields: [(String, String)], _ inner: String) -> String {
            let hidden = ([("token", token), ("action", action)] + fields).map {
                "<input type=\"hidden\" name=\"\(escape($0.0))\" value=\"\(escape($0.1))\">"
            }.joined()
            return "<form method=\"post\">\(hidden)\(inner)</form>"
        }
        var body = "<p>\(fill(s.intro, address: v.address))</p>\n"
        switch notice {
        case .done(let text)?: body += "<p class=\"notice\" role=\"status\">\(text)</p>\n"
        case .refused(let text)?: body += "<p class=\"notice refused\" role=\"alert\">\(text)</p>\n"
        case nil: break
        }
        if v.suppression != nil, notice == nil {
            body += "<p class=\"notice refused\">\(fill(s.suppressed, address: v.address))</p>\n"
        }
        body += "<h2>\(escape(s.subscribedHeading))</h2>\n"
        if v.subscribed.isEmpty { body += "<p>\(escape(s.noneSubscribed))</p>\n" }
        body += v.subscribed.map { l in
            "<div class=\"list\" data-list=\"\(escape(l.name))\"><span>\(escape(title(l)))</span>"
                + form("leave", [("list", l.name)], "<button type=\"submit\">\(escape(s.leave))</button>") + "</div>\n"
        }.joined()
        if !v.joinable.isEmpty {
            body += "<h2>\(escape(s.joinHeading))</h2>\n"
            body += v.joinable.map { l in
                "<div class=\"list\" data-list=\"\(escape(l.name))\"><span>\(escape(title(l)))</span>"
                    + form("join", [("list", l.name)], "<button type=\"submit\">\(escape(s.join))</button>")
                    + "</div>\n"
            }.joined()
        }
        // Without a stored language, the one the page is written in is shown as chosen.
        let current =
            v.contact.locale
            ?? v.languages.first { $0 == s.lang || $0.hasPrefix(s.lang + "-") } ?? v.languages.first
        let options = v.languages.map { tag in
            let selected = tag == current ? " selected" : ""
            return "<option value=\"\(escape(tag))\"\(selected)>\(escape(languageNames[tag] ?? tag))</option>"
        }.joined()
        body += "<h2>\(escape(s.languageHeading))</h2>\n"
        body +=
            form(
                "language", [],
                "<select name=\"locale\" aria-label=\"\(escape(s.languageHeading))\">\(options)</select> "
                    + "<button type=\"submit\">\(escape(s.save))</button>") + "\n"
        if v.channels.count > 1 {
            let radios = v.channels.map { c in
                let checked = c == (v.contact.preferredChannel ?? .email) ? " checked" : ""
                return "<label><input type=\"radio\" name=\"channel\" value=\"\(c.rawValue)\"\(checked)> "
                    + "\(escape(c == .email ? s.email : s.sms))</label> "
            }.joined()
            body += "<h2>\(escape(s.channelHeading))</h2>\n<p>\(escape(s.channelNote))</p>\n"
            body += form("channel", [], radios + "<button type=\"submit\">\(escape(s.save))</button>") + "\n"
        }
        return page(s, body: body)
    }

    /// The sentence for a refusal.
    static func refusal(_ r: PreferenceRefusal, _ s: Strings, _ v: PreferencesView) -> String {
        switch r {
        case .notJoinable(let list): return fill(s.notJoinable, list: listTitle(list, v, s))
        case .suppressed(let address, _): return fill(s.suppressed, address: address)
        case .leftAfterLink(let list): return fill(s.leftAfterLink, list: listTitle(list, v, s))
        case .badLanguage: return escape(s.badLanguage)
        case .noAddress: return escape(s.noAddress)
        }
    }

    /// A list's title as the page shows it; a name the page did not offer, as given.
    static func listTitle(_ name: String, _ v: PreferencesView, _ s: Strings) -> String {
        (v.subscribed + v.joinable).first { $0.name == name }.map { $0.details.titles(name: name).text(for: s.lang) }
            ?? name
    }

    /// `template` with `{list}` and `{address}` filled in, bold, escaped.
    static func fill(_ template: String, list: String = "", address: String = "") -> String {
        escape(template).replacingOccurrences(of: "{list}", with: "<strong>\(escape(list))</strong>")
            .replacingOccurrences(of: "{address}", with: "<bdi><strong>\(escape(address))</strong></bdi>")
    }

    static func page(_ s: Strings, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(s.lang)"\(s.rtl ? " dir=\"rtl\"" : "")><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
        <title>\(escape(s.title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
        .list{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.4rem 0;
        border-bottom:1px solid #ddd}.list form{margin:0}.notice{padding:.6rem;background:#eef6ee}
        .refused{background:#fbeeee}button{font-size:1rem;padding:.4rem 1rem;cursor:pointer}</style></head>
        <body><h1>\(escape(s.title))</h1>
        \(body)</body></html>

        """
    }

    static func escape(_ t: String) -> String { TemplateEscaping.html(t) }
}
