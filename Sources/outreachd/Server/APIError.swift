/// A request refused: the status and one sentence naming the field or header at fault.
struct APIError: Error, CustomStringConvertible {
    var status: Int
    var message: String
    var headers: [(String, String)] = []

    init(_ status: Int, _ message: String, headers: [(String, String)] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    var description: String { message }
    var response: HTTPResponse { .error(status, message, headers: headers) }

    static func badField(_ field: String, _ problem: String) -> APIError { APIError(400, "\(field): \(problem)") }
}
