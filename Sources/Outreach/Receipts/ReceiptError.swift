/// Why a callback could not be parsed; the endpoint answers 400 with this sentence.
public enum ReceiptError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingField(String)
    case invalidField(String, value: String)
    case unknownFormat(String)

    public var description: String {
        switch self {
        case .missingField(let f): return "The receipt has no \(f) field."
        case .invalidField(let f, let v): return "The receipt's \(f) field \"\(v)\" is not valid."
        case .unknownFormat(let p): return "Receipts in the \"\(p)\" format are not understood; use kannel or twilio."
        }
    }
}
