import Foundation
import Outreach
import Testing

extension StoreConformance {
    /// Who gets what (`RecipientAddress.choice`): an event on an email and an SMS channel writes
    /// to someone with both addresses once, on their preferred channel, else the event's `prefer`;
    /// members none of its channels reaches are counted by what they have. The preference is
    /// stored with the contact and an import without it keeps it.
    public static func anEventWritesToEachMemberOnceByTheirPreference(_ s: any EventQueueStore) throws {
        _ = try s.createList(name: "club", doubleOptIn: false)
        let people = [
            Contact(email: "ana@example.org"), Contact(phone: "+4520304050"),
            Contact(email: "bo@example.org", phone: "+4520304051", preferredChannel: .sms),
            Contact(email: "cy@example.org", phone: "+4520304052"),
        ]
        let ids = try s.upsertContacts(people).ids
        try s.setMembership(
            list: "club", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        #expect(try s.upsertContacts([Contact(email: "bo@example.org", name: "Bo")]).updated == 1)
        #expect(try s.contact(matching: "bo@example.org")?.preferredChannel == .sms)

        let now0 = WallClock.parseRFC3339("2030-01-01T00:00:00Z")!
        var both = try clubEvent("both", rrule: "FREQ=WEEKLY;COUNT=1")
        both.channels = [CampaignChannel(name: "o", address: .email), CampaignChannel(name: "t", address: .phone)]
        let (made, queued) = try s.createEvent(both, now: now0)
        #expect(try s.event(named: "both")?.prefer == .email)
        #expect(queued.invitation.queued == 4 && queued.invitation.phoneOnly == 0 && queued.invitation.emailOnly == 0)
        let sent = try s.deliveries(state: nil, messageID: made.invitationMessageID, limit: 100)
        #expect(
            Set(sent.map { $0.channel + " " + $0.address }) == [
                "o ana@example.org", "t +4520304050", "t +4520304051", "o cy@example.org",
            ])

        var texts = try clubEvent("texts", rrule: "FREQ=WEEKLY;COUNT=1")
        texts.channels = [CampaignChannel(name: "t", address: .phone)]
        texts.prefer = .sms
        let (_, onlySMS) = try s.createEvent(texts, now: now0)
        #expect(try s.event(named: "texts")?.prefer == .sms)
        #expect(
            onlySMS.invitation.queued == 3 && onlySMS.invitation.emailOnly == 1 && onlySMS.invitation.phoneOnly == 0)
    }
}
