import Foundation
import OutreachTestFixtures
import Synchronization
import Testing
@testable import Outreach

/// Issue 18 item 9: the daemon's library follows the folder, looked at most once per interval.
@Suite("Live templates: change detection")
struct LiveTemplatesTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var sink: LogSink { { _, m in self.lines.withLock { $0.append(m) } } }
    }

    static func text(_ l: TemplateLibrary, _ locale: String) throws -> String {
        try l.render("hello", kind: .sms, locale: locale, context: [:]).text
    }

    static func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("a change is seen on the first look after the interval; a broken file keeps the last good library")
    func followsTheFolder() throws {
        let dir = try TemplateTestSupport.folder(["hello/sms.en.txt": "Hello"])
        let time = ManualTime(0)
        let log = Lines()
        let live = LiveTemplates(
            library: try TemplateLibrary(directory: dir, defaultLocale: "en"), time: time, log: log.sink)
        let changes = Atomic<Int>(0)
        live.onChange { _ in changes.add(1, ordering: .relaxed) }
        #expect(live.poll() == nil)

        try Self.write("Hallo", dir + "/hello/sms.de.txt")
        time.advance(by: 999)
        #expect(live.poll() == nil)  // not yet: at most once a second
        #expect(try Self.text(live.library, "de") == "Hello")
        time.advance(by: 1)
        #expect(try Self.text(try #require(live.poll()), "de") == "Hallo")
        #expect(changes.load(ordering: .relaxed) == 1)
        #expect(live.poll() == nil)  // the next look is a second later

        // Nothing changed: the library is not loaded again.
        time.advance(by: 1000)
        #expect(live.poll() === live.library)
        #expect(changes.load(ordering: .relaxed) == 1)

        // A file that no longer parses keeps its last good version, said once for the change.
        try Self.write("Hallo {{#x}}", dir + "/hello/sms.de.txt")
        time.advance(by: 1000)
        live.poll()
        time.advance(by: 1000)
        live.poll()
        #expect(try Self.text(live.library, "de") == "Hallo")
        let refused = log.all.filter { $0.contains("what worked before is kept") }
        #expect(refused.count == 1, "\(log.all)")
        #expect(refused.first?.contains("hello/sms.de.txt") == true, "\(log.all)")

        // The rest of a change is taken meanwhile: a new template folder, an edited English text.
        try FileManager.default.createDirectory(atPath: dir + "/bye", withIntermediateDirectories: true)
        try Self.write("Bye", dir + "/bye/sms.en.txt")
        try Self.write("Hello!", dir + "/hello/sms.en.txt")
        time.advance(by: 1000)
        live.poll()
        #expect(live.library.has("bye"))
        #expect(try Self.text(live.library, "en") == "Hello!")
        #expect(try Self.text(live.library, "de") == "Hallo")

        // Fixed, with the same size as the broken text had: still seen (a new inode).
        try Self.write("Hej!!!!!!!!!", dir + "/hello/sms.de.txt")
        time.advance(by: 1000)
        live.poll()
        #expect(try Self.text(live.library, "de") == "Hej!!!!!!!!!")
        #expect(live.library.check().isEmpty)
    }

    @Test("a folder that cannot be read keeps the library in use; replace starts from what it is given")
    func unreadableAndReplace() throws {
        let dir = try TemplateTestSupport.folder(["hello/sms.en.txt": "Hello"])
        let time = ManualTime(0)
        let log = Lines()
        let first = try TemplateLibrary(directory: dir, defaultLocale: "en")
        let live = LiveTemplates(library: first, time: time, log: log.sink)
        try FileManager.default.moveItem(atPath: dir, toPath: dir + "-moved")
        time.advance(by: 1000)
        #expect(live.poll() === first)
        #expect(log.all.count == 1 && log.all[0].contains("cannot be loaded"), "\(log.all)")

        try FileManager.default.moveItem(atPath: dir + "-moved", toPath: dir)
        try Self.write("Hi", dir + "/hello/sms.en.txt")
        let reloaded = try TemplateLibrary(directory: dir, defaultLocale: "en")
        let seen = Mutex<TemplateLibrary?>(nil)
        live.onChange { l in seen.withLock { $0 = l } }
        live.replace(reloaded)
        #expect(seen.withLock { $0 } === reloaded)
        // What replace took is the folder as it is: no second load.
        time.advance(by: 1000)
        #expect(live.poll() === reloaded)
    }
}
