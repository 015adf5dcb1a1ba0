/// The alphabet an SMS goes out in: GSM 03.38 7-bit when every character fits, UCS-2 otherwise.
public enum SMSEncoding: String, Sendable {
    case gsm7 = "GSM-7"
    case ucs2 = "UCS-2"

    /// Units one single-part message holds (septets or UTF-16 code units).
    public var singleSegmentUnits: Int { self == .gsm7 ? 160 : 70 }
    /// Units each part of a concatenated message holds (the user data header takes the rest).
    public var multiSegmentUnits: Int { self == .gsm7 ? 153 : 67 }
}
