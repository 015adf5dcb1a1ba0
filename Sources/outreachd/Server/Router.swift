/// Matches a method and a path like `/v1/messages/{id}` to a handler; says 404 or 405 otherwise.
struct Router: Sendable {
    typealias Handler = @Sendable (API, HTTPRequest, [String: String]) throws(APIError) -> Reply

    private struct Route: Sendable {
        var methods: Set<String>
        var segments: [Substring]
        var handler: Handler
    }

    private var routes: [Route] = []

    mutating func add(_ methods: Set<String>, _ pattern: String, _ handler: @escaping Handler) {
        routes.append(Route(methods: methods, segments: pattern.split(separator: "/"), handler: handler))
    }

    func route(_ request: HTTPRequest, for api: API) -> Reply {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: Set<String> = []
        for r in routes where r.segments.count == parts.count {
            var params: [String: String] = [:]
            var matched = true
            for (s, p) in zip(r.segments, parts) {
                if s.hasPrefix("{"), s.hasSuffix("}") {
                    params[String(s.dropFirst().dropLast())] = String(p)
                } else if s != p {
                    matched = false
                    break
                }
            }
            guard matched else { continue }
            let method = request.method == "HEAD" ? "GET" : request.method
            guard r.methods.contains(method) else {
                allowed.formUnion(r.methods)
                continue
            }
            do {
                return try r.handler(api, request, params)
            } catch {
                return .now(error.response)
            }
        }
        if !allowed.isEmpty {
            return .now(
                .error(
                    405,
                    "\(request.method) is not allowed on \(request.path); use \(allowed.sorted().joined(separator: " or "))",
                    headers: [("Allow", allowed.sorted().joined(separator: ", "))]))
        }
        return .now(.error(404, "There is nothing at \(request.path)."))
    }
}
