/// How a generic webhook encodes its body.
public enum WebhookContentType: String, Sendable {
    case json, form

    var mimeType: String { self == .json ? "application/json" : "application/x-www-form-urlencoded" }
}
