/// A progress bar on a terminal, plain lines otherwise (so logs and pipes stay readable).
struct ProgressBar {
    private(set) var total: Int
    let label: String
    let terminal: Bool
    private var lastShown = -1

    init(total: Int, label: String, terminal: Bool) {
        self.total = total
        self.label = label
        self.terminal = terminal
    }

    /// The last line, once the real total is known (an estimate was counted against before).
    mutating func finish(_ done: Int) {
        total = done
        update(done)
    }

    mutating func update(_ done: Int) {
        guard total > 0 else { return }
        let pct = min(100, done * 100 / total)
        if terminal {
            guard pct != lastShown else { return }
            let width = 30
            let filled = width * pct / 100
            Output.write(
                "\r\(label) [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                    + "] \(pct)% (\(done)/\(total))", to: 2)
            if done >= total { Output.write("\n", to: 2) }
        } else {
            // Plain lines at every 10%.
            guard pct / 10 != lastShown / 10 || done >= total, pct != lastShown else { return }
            Output.write("\(label): \(done)/\(total) (\(pct)%)\n", to: 2)
        }
        lastShown = pct
    }
}
