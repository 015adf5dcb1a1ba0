import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// The conformance suite (`StoreConformance`, shared with the end-to-end layer) on every backend
/// of `StoreFactory.all`: each check of each protocol, on a fresh store. A `Store` implements every
/// protocol, so it takes every check.
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreFactory.all, StoreConformance.contacts)
    func contacts(_ f: StoreFactory, _ check: StoreCheck<any ContactStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.consent)
    func consent(_ f: StoreFactory, _ check: StoreCheck<any ContactStore & ConsentStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.queue)
    func queue(_ f: StoreFactory, _ check: StoreCheck<any DeliveryQueue>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.nodes)
    func nodes(_ f: StoreFactory, _ check: StoreCheck<any NodeQueueStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.pacing)
    func pacing(_ f: StoreFactory, _ check: StoreCheck<any SendPacing>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.consentAtTheQueue)
    func consentAtTheQueue(_ f: StoreFactory, _ check: StoreCheck<any QueueingStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.campaigns)
    func campaigns(_ f: StoreFactory, _ check: StoreCheck<any CampaignQueueStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.bounces)
    func bounces(_ f: StoreFactory, _ check: StoreCheck<any BounceQueueStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.recurringCampaigns)
    func recurringCampaigns(_ f: StoreFactory, _ check: StoreCheck<any RecurringCampaignStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.events)
    func events(_ f: StoreFactory, _ check: StoreCheck<any EventQueueStore>) throws {
        try check.run(try f.make())
    }

    @Test(arguments: StoreFactory.all, StoreConformance.hooks)
    func hooks(_ f: StoreFactory, _ check: StoreCheck<any HookQueueStore>) throws {
        try check.run(try f.make())
    }
}
