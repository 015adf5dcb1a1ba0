/// A named audience (`lists create`). Called List in the product; `MailingList` in code so it does
/// not shadow other meanings of "list".
public struct MailingList: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var doubleOptIn: Bool
    /// Whether anyone may join it from their own preferences page (`lists create --public`); not
    /// by default, so a list of board members or journalists stays the officer's to fill.
    public var isPublic = false
    public var counts: [MembershipState: Int] = [:]
    /// Its title per language and the template data of its mail.
    public var details = ListDetails()

    public init(id: Int64, name: String, doubleOptIn: Bool, details: ListDetails = ListDetails()) {
        self.id = id
        self.name = name
        self.doubleOptIn = doubleOptIn
        self.details = details
    }
}

/// What recipients see of a list besides its name, which stays a slug: its title, in their
/// language, and the template data every message to the list carries (its confirmations, its
/// campaigns, its events), under the message's own data.
public struct ListDetails: Sendable, Equatable {
    /// The title for every language; nil shows the list's name.
    public var title: String?
    /// Canonical language tag → title.
    public var titleTranslations: [String: String]
    /// A JSON object (`lists create --data`).
    public var data: JSON
    /// Where a browser goes after signing up by the public form (`--thank-you-url`); nil: the
    /// built-in thank-you page.
    public var thankYouURL: String?
    /// The fields the public form may set besides the sign-up's own (`--form-fields`, `SignUpForm`).
    public var formFields: [String]

    public init(
        title: String? = nil, titleTranslations: [String: String] = [:], data: JSON = .object([:]),
        thankYouURL: String? = nil, formFields: [String] = []
    ) {
        self.title = title
        self.titleTranslations = titleTranslations
        self.data = data
        self.thankYouURL = thankYouURL
        self.formFields = formFields
    }

    /// The title with its translations, the list's name standing in for a title never set.
    public func titles(name: String) -> LocalizedTitle {
        LocalizedTitle(title ?? name, translations: titleTranslations)
    }

    /// Stored form fields (a JSON array of names) read back; anything else reads as none.
    public static func formFields(json: String) -> [String] {
        ((try? JSON.parse(json))?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// These details with `--title` values applied (see `LocalizedTitle.applying`).
    public func applying(_ changes: LocalizedTitle.Changes) -> ListDetails {
        var d = self
        let t = LocalizedTitle(title ?? "", translations: titleTranslations).applying(changes)
        if changes.text != nil { d.title = t.text }
        d.titleTranslations = t.translations
        return d
    }
}

/// Where a contact stands with a list.
public enum MembershipState: String, Sendable, CaseIterable {
    case pending, subscribed, unsubscribed
}

/// Who consented, when, how: kept with every membership change.
public struct Consent: Sendable, Equatable {
    public var source: String
    public var evidence: String?
    public init(source: String, evidence: String? = nil) {
        self.source = source
        self.evidence = evidence
    }
}

/// Why an address must not get marketing mail.
public enum SuppressionReason: String, Sendable, CaseIterable {
    case unsubscribed, bounce, complaint, erased, manual
    /// An SMS reply STOP: the person wants no messages at all on that number, transactional included.
    case stop
}
