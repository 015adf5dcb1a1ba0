/// Checks and normalises email addresses the way a mail relay will accept them.
public enum EmailAddress {
    /// Lower-cases the domain (and the local part: no relay we target treats case as significant)
    /// and refuses what cannot be an address, saying why.
    public static func normalize(_ raw: String) throws(ContactError) -> String {
        let a = raw.trimmingCharacters(in: .whitespaces)
        guard !a.isEmpty else { throw .badEmail(raw, reason: "it is empty") }
        guard a.utf8.count <= 254 else { throw .badEmail(raw, reason: "it is longer than 254 characters") }
        guard !a.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" || $0 == "\"" }) else {
            throw .badEmail(raw, reason: "it contains a space or one of < > , ; \"")
        }
        let parts = a.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .badEmail(raw, reason: "it needs exactly one @") }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else { throw .badEmail(raw, reason: "the part before @ is empty or too long") }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw .badEmail(raw, reason: "the part before @ has a misplaced dot")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
              domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
        else { throw .badEmail(raw, reason: "'\(domain)' is not a valid domain") }
        return a.lowercased()
    }
}
