import OutreachTestFixtures
import Testing

@testable import Outreach

/// What the channel says of itself decides its schedule: its in-flight limit caps a batch when
/// `batch_size` is not set; the pipeline keeps every channel's `rate` (SMTP's too).
@Suite struct ChannelScheduleTests {
    final class Described: Channel {
        let name = "c"
        let kind = ChannelKind.sms
        let batchSize: Int
        let inFlightLimit: Int?
        init(batchSize: Int = 256, inFlightLimit: Int? = nil) {
            self.batchSize = batchSize
            self.inFlightLimit = inFlightLimit
        }
        func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] { batch.map { _ in .sent(providerID: nil) } }
    }

    @Test func theRateIsThePipelinesForEveryChannel() throws {
        let section = ChannelSections.make("c", ["type": "smtp", "rate": "600/m"])
        #expect(try ChannelSchedule(section: section, channel: Described()).rate?.perSecond == 10)
        do {
            _ = try ChannelSchedule(
                section: ChannelSections.make("c", ["type": "x", "rate": "fast"]), channel: Described())
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("must be COUNT/UNIT like 50/s, 600/m or 1000/h"), "\(error)")
        }
    }

    @Test func theInFlightLimitCapsABatchUnlessBatchSizeIsSet() throws {
        let plain = ChannelSections.make("c", ["type": "x"])
        #expect(try ChannelSchedule(section: plain, channel: Described(inFlightLimit: 4)).batchCap == 4)
        #expect(try ChannelSchedule(section: plain, channel: Described()).batchCap == nil)
        let sized = ChannelSections.make("c", ["type": "x", "batch_size": 9])
        #expect(try ChannelSchedule(section: sized, channel: Described(inFlightLimit: 4)).batchCap == 9)
    }

    @Test func thePacedChannelTakesTheSmallestOfItsLimits() throws {
        let inner = Described(batchSize: 256)
        #expect(PacedChannel(inner, rate: nil, batchCap: nil).batchSize == 256)
        #expect(PacedChannel(inner, rate: nil, batchCap: 4).batchSize == 4)
        // At most one second's worth at the rate, so the pace stays smooth.
        #expect(PacedChannel(inner, rate: RateLimit("3/s"), batchCap: 4).batchSize == 3)
        #expect(PacedChannel(inner, rate: RateLimit("1/m"), batchCap: nil).batchSize == 1)
    }

    /// What the composer asks of the channel goes through to it: without `bounceAddress` the
    /// envelope of every paced SMTP channel stayed `[sender] from` (found by BounceIngestTests).
    @Test func thePacedChannelForwardsWhatTheComposerAsks() {
        let paced = PacedChannel(FakeChannel(bounceAddress: "bounces@news.example.org"), rate: nil, batchCap: nil)
        #expect(paced.bounceAddress == "bounces@news.example.org")
    }
}
