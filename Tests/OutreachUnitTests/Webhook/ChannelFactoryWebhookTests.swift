import Channels
import Outreach
import OutreachTestFixtures
import Testing

@Suite struct ChannelFactoryWebhookTests {
    @Test func configFileBuildsWebhookAndSMSChannels() throws {
        let dir = ChannelSections.secretDirectory([
            "team-secret": ChannelSections.newSecret(), "kannel-password": "secret",
        ])
        let text = """
            public_url = "https://outreach.example.org"

            [channels.team]
            type = "webhook"
            preset = "mattermost"
            url = "https://chat.example.org/hooks/abc"
            target = "room"
            signing_secret_file = "team-secret"

            [channels.sms]
            type = "sms"
            preset = "kannel"
            url = "http://127.0.0.1:13013/cgi-bin/sendsms"
            username = "outreach"
            password_file = "kannel-password"
            from = "CFriends"
            default_country = "DK"
            """
        let config = try Config.parse(text, file: dir + "/outreachd.conf")
        let channels = try ChannelFactory.makeAll(config)
        let team = try #require(channels["team"] as? WebhookChannel)
        #expect(team.kind == .chat && team.target == .room && team.preset == .mattermost)
        let sms = try #require(channels["sms"] as? SMSChannel)
        #expect(sms.kind == .sms && sms.preset == .kannel && sms.defaultCountry == "DK")
    }
}
