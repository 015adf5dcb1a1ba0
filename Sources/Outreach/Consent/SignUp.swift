/// A public sign-up (form or JSON), decided and stored in one transaction: a crash never leaves a
/// pending member without their confirmation.
public struct SignUpRequest: Sendable {
    /// The person as the form gave them; an existing contact is matched by email, then phone, and
    /// never overwritten by a public form.
    public var contact: Contact
    public var list: String
    public var consent: Consent
    /// The confirmation to queue when the person must confirm: a double opt-in list, or anyone
    /// who unsubscribed before (a form filled in by someone else must not bring them back).
    /// The store fills in the contact id. Nil when no channel can carry it.
    public var confirmation: (message: Message, delivery: NewDelivery)?
    /// The values of the list's declared form fields (`SignUpForm.values`), attribute name → value.
    /// They wait with the membership while it waits for the person's confirmation and are written
    /// when they confirm; otherwise a new contact gets them, an existing one only those it lacks.
    public var fields: [String: String]

    public init(
        contact: Contact, list: String, consent: Consent, confirmation: (message: Message, delivery: NewDelivery)?,
        fields: [String: String] = [:]
    ) {
        self.contact = contact
        self.list = list
        self.consent = consent
        self.confirmation = confirmation
        self.fields = fields
    }
}

/// What a sign-up did.
public enum SignUpOutcome: Sendable, Equatable {
    case alreadySubscribed(contactID: Int64)
    case subscribed(contactID: Int64)
    /// Pending (or still unsubscribed) until the person confirms by the link queued for them.
    case confirmationQueued(contactID: Int64, deliveryIDs: [Int64])
}

extension SignUpOutcome {
    /// The rule: who is subscribed at once and who must confirm. `current` is the membership
    /// before the sign-up.
    public static func needsConfirmation(doubleOptIn: Bool, current: MembershipState?) -> Bool {
        doubleOptIn || current == .unsubscribed
    }
}
