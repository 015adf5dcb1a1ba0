import Foundation
import Outreach

struct RenderCommand: Command {
    static let path = ["render"]
    static let summary = "render a template file, or preview a template for a locale"
    static let help = """
        outreachd render FILE [--data F.json] [--partials DIR]
        outreachd render TEMPLATE [--kind email|sms|chat] [--locale L] [--contact C] [--data F.json] [--json]
          FILE: renders one Mustache file to stdout byte for byte; {{>x}} reads DIR/x.mustache.
          Escaping follows the extension: .html/.mustache HTML, .txt none, .json JSON strings, .form form encoding.
          TEMPLATE: a folder of the templates directory; shows the locale used, and for email the
          subject, text and HTML parts. --contact looks the contact up in the store.
        """
    static let valueOptions: Set<String> = [
        "--data", "--partials", "--kind", "--locale", "--contact", "--templates", "--bench",
    ]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let target = try args.positionals("FILE-OR-TEMPLATE")[0]
        let data = try args.value("--data").map(readJSON) ?? .object([:])
        var isDir: ObjCBool = false
        let looksLikeFile =
            target.contains("/") || TemplateEscaping(fileExtension: (target as NSString).pathExtension) != nil
        if args.value("--partials") != nil || looksLikeFile
            || FileManager.default.fileExists(atPath: target, isDirectory: &isDir) && !isDir.boolValue
        {
            // A file needs no configuration; one that reads gives its limit.
            let limit = (try? context.config)?.maxRenderBytes ?? Template.defaultMaxRenderBytes
            try renderFile(target, data: data, partialsDir: args.value("--partials"), maxBytes: limit)
            return 0
        }
        let config = try context.config
        let library = try TemplateLibrary(
            directory: args.value("--templates") ?? config.templatesDir,
            defaultLocale: config.defaultLocale, maxRenderBytes: config.maxRenderBytes)
        guard library.has(target) else { throw TemplateError.unknownTemplate(name: target) }
        let problems = library.problems(of: target)
        for p in problems { Output.error(p.description) }
        if let first = problems.first { throw first }
        let kindName = args.value("--kind") ?? "email"
        guard let kind = ChannelKind(rawValue: kindName) else { throw UsageError("--kind must be email, sms or chat") }
        if let bench = args.value("--bench") {
            return try benchmark(
                library: library, template: target, kind: kind, locale: args.value("--locale"), contextsFile: bench)
        }
        var contact: Contact?
        if let c = args.value("--contact") {
            guard let found = try context.store.contact(matching: c) else { throw StoreError.unknownContact(c) }
            contact = found
        }
        let locale = args.value("--locale") ?? contact?.locale
        // What a message would see: the [sender] defaults under the data.
        let written = library.resolvedLocale(target, kind: kind, locale: locale) ?? locale
        let layered = try TemplateContext.checkedData(
            defaults: config.templateDefaults, list: nil, message: data, locale: written,
            defaultLocale: library.defaultLocale)
        let ctx = TemplateContext.make(data: .object(layered), contact: contact)
        let r = try library.render(target, kind: kind, locale: locale, context: ctx)
        if args.has("--json") {
            var o: [String: JSON] = ["locale": .string(r.locale), "text": .string(r.text)]
            if let s = r.subject { o["subject"] = .string(s) }
            if let h = r.html { o["html"] = .string(h) }
            if let j = r.json { o["json"] = .string(j) }
            if kind == .sms {
                let a = SMSText.analyze(r.text)
                o["sms"] = [
                    "encoding": .string(a.encoding.rawValue), "units": JSON(a.units), "segments": JSON(a.segments),
                ]
            }
            context.printJSON(.object(o))
            return 0
        }
        var out = "locale: \(r.locale)\n"
        if let s = r.subject { out += "subject: \(s)\n" }
        out += "--- text ---\n" + r.text + (r.text.hasSuffix("\n") || r.text.isEmpty ? "" : "\n")
        if let h = r.html { out += "--- html ---\n" + h + (h.hasSuffix("\n") ? "" : "\n") }
        if let j = r.json { out += "--- json ---\n" + j + (j.hasSuffix("\n") ? "" : "\n") }
        if kind == .sms {
            // Known before sending: what the gateway will bill.
            let a = SMSText.analyze(r.text)
            out +=
                "--- sms: \(a.encoding.rawValue), \(a.units) units, \(a.segments) segment\(a.segments == 1 ? "" : "s")"
                + (a.nonGSMCharacters.isEmpty
                    ? ""
                    : " (UCS-2 because of " + a.nonGSMCharacters.prefix(5).map { "'\($0)'" }.joined(separator: " ")
                        + ")") + " ---\n"
        }
        Output.write(out)
        return 0
    }

    static func readJSON(_ path: String) throws -> JSON {
        let d = try FileInput.bytes(path)
        do { return try JSON.parse(d) } catch { throw CLIError.badFile(path: path, problem: error.description) }
    }

    static func readText(_ path: String) throws -> String {
        let d = try FileInput.bytes(path)
        guard let s = String(validating: d, as: UTF8.self) else { throw CLIError.notUTF8(path: path) }
        return s
    }

    /// `render FILE`: the file as it is (no front matter), partials `DIR/x.mustache`.
    static func renderFile(_ file: String, data: JSON, partialsDir: String?, maxBytes: Int) throws {
        let ext = (file as NSString).pathExtension
        let escaping = TemplateEscaping(fileExtension: ext) ?? .none
        let template = try Template(source: try readText(file), file: file, escaping: escaping)
        var partials: [String: Template] = [:]
        if let dir = partialsDir {
            let files = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
            for rel in files where rel.hasSuffix(".mustache") {
                let name = String(rel.dropLast(".mustache".count))
                partials[name] = try Template(
                    source: try readText(dir + "/" + rel), file: dir + "/" + rel, escaping: escaping)
            }
        }
        var out: [UInt8] = []
        try template.render(data, partials: partials, into: &out, maxBytes: maxBytes)
        Output.write(String(decoding: out, as: UTF8.self))
    }
}
