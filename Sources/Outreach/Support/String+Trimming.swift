extension String {
    /// Without leading and trailing spaces and tabs (cheaper than Foundation's trimming).
    public var trimmingSpaces: String {
        let u = utf8
        // Most fields have nothing to trim; looking at bytes avoids grapheme breaking.
        guard let f = u.first, let l = u.last else { return "" }
        if f != 0x20, f != 0x09, l != 0x20, l != 0x09 { return self }
        var s = Substring(self)
        while let f = s.utf8.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.utf8.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    public var trimmingSpaces: String { String(self).trimmingSpaces }
}
