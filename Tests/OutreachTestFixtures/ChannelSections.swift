import Foundation
import Outreach

/// Builds `[channels.NAME]` sections for channel tests.
public enum ChannelSections {
    public static func make(
        _ name: String, _ values: [String: ConfigValue], dir: String = FixturePaths.temporaryDirectory("chan")
    ) -> ConfigSection {
        ConfigSection(name: "channels." + name, file: dir + "/outreachd.conf", baseDirectory: dir, values: values)
    }

    /// Writes `content` into a file in a fresh folder and returns the folder.
    public static func secretDirectory(_ files: [String: String]) -> String {
        let dir = FixturePaths.temporaryDirectory("secret")
        for (name, content) in files {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data((content + "\n").utf8))
        }
        return dir
    }

    /// A fresh Standard Webhooks secret.
    public static func newSecret() -> String { "whsec_" + Data(Crypto.randomBytes(24)).base64EncodedString() }
}

// Literals keep the channel tests' config dictionaries readable.
extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
