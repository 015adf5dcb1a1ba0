extension StringProtocol {
    /// Without leading and trailing spaces and tabs (cheaper than Foundation's trimming).
    public var trimmingSpaces: String {
        // Most fields have nothing to trim.
        if let f = first, let l = last, f != " ", f != "\t", l != " ", l != "\t" { return String(self) }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
