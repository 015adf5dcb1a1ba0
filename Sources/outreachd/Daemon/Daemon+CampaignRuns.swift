import Foundation
import Outreach

extension Daemon {
    /// The due-runs step of recurring campaigns, on every tick of the main loop (at most 5 s
    /// apart): each run whose time has come fans out once (`CampaignRunner`), and the channel
    /// loops are woken for what it queued. Only the node leading `Duty.campaigns` looks.
    static func runDueCampaigns(_ store: any Store, scheduler: Scheduler) {
        guard store.leads(.campaigns) else { return }
        do {
            let runs = try CampaignRunner(store: store).runDue(now: WallClock.nowMillis())
            for (name, run) in runs { Log.info(CampaignRunner.describe(run, of: name)) }
            if runs.contains(where: { $0.run.state == .ran }) { scheduler.wakeAll() }
        } catch {
            Log.error("could not run the recurring campaigns due: \(CLI.sentence(error))")
        }
    }
}
