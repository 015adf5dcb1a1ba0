import Outreach
import Testing

/// Issue 16: which address a recipient gets on a channel is decided once, for every entry point.
@Suite struct RecipientAddressTests {
    @Test func theRuleForEachKindOfChannel() {
        func r(_ kind: ChannelKind, _ target: ChannelTarget, _ attribute: String? = nil, explicit: String? = nil)
            -> String?
        {
            RecipientAddress.resolve(
                email: "a@example.org", phone: "+4511111111", attributes: ["chat_id": "42"], explicit: explicit,
                kind: kind, target: target, attribute: attribute)
        }
        #expect(r(.email, .contact) == "a@example.org")
        #expect(r(.sms, .contact) == "+4511111111")
        #expect(r(.chat, .contact, "chat_id") == "42")
        #expect(r(.chat, .contact, "telegram") == nil)
        #expect(r(.chat, .contact, explicit: "@ana") == "@ana")
        // A room has one address, whoever the message is for and whichever way it was queued.
        for kind in [ChannelKind.email, .sms, .chat] { #expect(r(kind, .room) == RecipientAddress.room) }
        #expect(RecipientAddress.room == "room")
    }

    @Test func campaignsAddressThroughTheSameRule() {
        let field = RecipientAddress.field(kind: .chat, target: .contact, attribute: "chat_id")
        #expect(field.0 == .attribute && field.1 == "chat_id")
        #expect(RecipientAddress.field(kind: .sms, target: .contact, attribute: nil).0 == .phone)
        #expect(RecipientAddress.field(kind: .chat, target: .room, attribute: nil).0 == .room)
    }

    /// The default channel per kind is the first by name that writes to each contact; a room never is.
    @Test func theDefaultChannelIsTheFirstContactChannelOfItsKind() {
        let names = DefaultChannel.names([
            ("team", .chat, .room), ("mail-b", .email, .contact), ("mail-a", .email, .contact),
            ("texts", .sms, .contact), ("zulip-dm", .chat, .contact), ("announce", .email, .room),
        ])
        #expect(names == [.email: "mail-a", .sms: "texts", .chat: "zulip-dm"])
        #expect(DefaultChannel.names([("team", .chat, .room)]).isEmpty)
    }

    /// Issue 19.6: only room channels take a send without a recipient, all of them the one address.
    @Test func onlyRoomChannelsTakeASendWithoutARecipient() {
        #expect(RecipientAddress.withoutRecipient(targets: [.room]) == RecipientAddress.room)
        #expect(RecipientAddress.withoutRecipient(targets: [.room, .room]) == "room")
        #expect(RecipientAddress.withoutRecipient(targets: [.room, .contact]) == nil)
        #expect(RecipientAddress.withoutRecipient(targets: [.contact]) == nil)
        #expect(RecipientAddress.withoutRecipient(targets: []) == nil)
    }
}
