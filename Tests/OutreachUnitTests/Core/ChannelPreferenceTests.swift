import Outreach
import Testing

/// Issue 18 item 10: who gets what when a send has a channel for the email and one for the phone.
@Suite struct ChannelPreferenceTests {
    let email = CampaignChannel(name: "mail", address: .email)
    let sms = CampaignChannel(name: "texts", address: .phone)
    let room = CampaignChannel(name: "room", address: .room)

    /// Each kind of person, on an event with both channels: exactly one channel each, the
    /// preference first, the fallback for the undecided.
    @Test func someoneWithBothGetsOneChannel() {
        let both = [email, sms]
        func got(_ c: Contact, _ fallback: ChannelPreference) -> [String] {
            both.filter { RecipientAddress.gets(c, $0, among: both, fallback: fallback) }.map(\.name)
        }
        let ana = Contact(email: "a@example.org")
        let farid = Contact(phone: "+4511111111")
        let bo = Contact(email: "b@example.org", phone: "+4522222222", preferredChannel: .sms)
        let cy = Contact(email: "c@example.org", phone: "+4533333333")
        #expect(got(ana, .sms) == ["mail", "texts"], "the rule leaves out nobody; the address decides")
        #expect(got(bo, .email) == ["texts"] && got(bo, .sms) == ["texts"])
        #expect(got(cy, .email) == ["mail"] && got(cy, .sms) == ["texts"])
        #expect(got(farid, .email) == ["mail", "texts"])
    }

    /// A preference for a channel the send lacks leaves nobody out: they get the one there is.
    @Test func aPreferenceTheSendHasNoChannelForFallsBack() {
        let bo = Contact(email: "b@example.org", phone: "+4522222222", preferredChannel: .sms)
        #expect(RecipientAddress.choice(for: email, among: [email], fallback: .email) == nil)
        #expect(RecipientAddress.gets(bo, email, among: [email, room], fallback: .email))
        #expect(RecipientAddress.choice(for: room, among: [email, sms], fallback: .email) == nil)
        let choice = RecipientAddress.choice(for: email, among: [email, sms], fallback: .email)
        #expect(choice?.other == .phone && choice?.leftOutWhenPreferring == .sms)
    }

    @Test func theValueIsEmailOrSms() throws {
        #expect(try ChannelPreference.parse(" SMS ") == .sms)
        #expect(try ChannelPreference.parse("") == nil)
        #expect(throws: ContactError.badPreferredChannel("fax")) { try ChannelPreference.parse("fax") }
        let v = ContactValidator(defaultCountry: "DK")
        let c = try v.contact(
            email: "a@example.org", phone: "20304050", name: nil, locale: nil, timeZone: nil, attributes: [:],
            preferredChannel: "email")
        #expect(c.preferredChannel == .email && c.json["preferred_channel"]?.stringValue == "email")
    }

    /// The import column is a field, not an attribute; a bad value refuses the row, naming it.
    @Test func theImportColumn() throws {
        let csv = "email,phone,preferred_channel\na@example.org,20304050,sms\nb@example.org,,fax\n"
        let r = try ContactImport.parse(csv, validator: ContactValidator(defaultCountry: "DK"))
        #expect(r.contacts.map(\.preferredChannel) == [.sms])
        #expect(r.contacts[0].attributes.isEmpty)
        #expect(r.errors.map(\.description) == ["line 3: the preferred channel 'fax' is not email or sms"])
    }
}
