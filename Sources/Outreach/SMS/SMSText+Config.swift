extension SMSText {
    /// The `max_segments` limit of an `sms` channel section, for checks at campaign creation.
    public static func maxSegments(in section: ConfigSection) throws(ConfigError) -> Int? {
        guard let m = try section.int("max_segments") else { return nil }
        guard m >= 1 else { throw section.invalid("max_segments", "must be at least 1") }
        return m
    }

    /// Analyses `text` and refuses it when the channel's `max_segments` is exceeded.
    @discardableResult
    public static func check(_ text: String, channel section: ConfigSection) throws(SMSCheckError) -> SMSAnalysis {
        let limit: Int?
        do throws(ConfigError) { limit = try maxSegments(in: section) } catch { throw .config(error) }
        guard let limit else { return analyze(text) }
        do throws(SMSTextError) { return try check(text, maxSegments: limit) } catch { throw .text(error) }
    }
}
