import CMicroHTTPD
import Foundation
import Synchronization

// The C callbacks libmicrohttpd calls from its pool threads. `cls` is the HTTPServer (unretained:
// it outlives the daemon), `*con_cls` an HTTPConnection retained for the request's lifetime.

/// Called once when the headers are in (answer .YES and nothing else, or it closes the
/// connection), once per chunk of body, once more when the body is complete, and again after a
/// suspended connection is resumed.
let httpAccessHandler: MHD_AccessHandlerCallback = {
    cls, connection, url, method, _, uploadData, uploadDataSize, conCls in
    guard let cls, let connection, let conCls else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    guard let raw = conCls.pointee else {
        conCls.pointee = Unmanaged.passRetained(HTTPConnection()).toOpaque()
        server.active.add(1, ordering: .relaxed)
        headComplete(connection)
        // A declared length over the limit is refused before the body is read.
        if let cl = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length"),
            let n = Int(String(cString: cl)), n > server.maxBodyBytes.load(ordering: .relaxed)
        {
            return queue(connection, tooLarge(server))
        }
        return .YES
    }
    let state = Unmanaged<HTTPConnection>.fromOpaque(raw).takeUnretainedValue()
    if let size = uploadDataSize, size.pointee > 0 {
        if let uploadData {
            state.append(
                UnsafeRawBufferPointer(start: uploadData, count: size.pointee),
                limit: server.maxBodyBytes.load(ordering: .relaxed))
        }
        size.pointee = 0
        return .YES
    }
    enum Step { case answer(@Sendable () -> HTTPResponse), wait, dispatch([UInt8]), tooLarge }
    let step: Step = state.state.withLock { s in
        if let r = s.response {
            s.response = nil
            return .answer(r)
        }
        if s.dispatched { return .wait }
        s.dispatched = true
        if s.tooLarge { return .tooLarge }
        let body = s.body
        s.body = []
        return .dispatch(body)
    }
    switch step {
    case .answer(let make): return queue(connection, make())
    case .wait: return .YES
    case .tooLarge: return queue(connection, tooLarge(server))
    case .dispatch(let body):
        let request = HTTPRequest(
            method: method.map { String(cString: $0) } ?? "GET", path: url.map { String(cString: $0) } ?? "/",
            query: queryArguments(connection),
            headers: headerList(connection), body: body,
            clientAddress: "")
        var req = request
        req.clientAddress = clientAddress(
            connection, request: request, trustProxy: server.trustProxy.load(ordering: .relaxed))
        switch server.handler(req) {
        case .now(let r):
            return queue(connection, r)
        case .later(let start):
            // Counted before the drain's flag is read (see `HTTPServer.refuseLater`).
            server.suspended.add(1, ordering: .sequentiallyConsistent)
            if server.refusingLater.load(ordering: .sequentiallyConsistent) {
                server.suspended.subtract(1, ordering: .relaxed)
                return queue(
                    connection,
                    .error(503, "The server is shutting down; try again in a moment.", headers: [("Retry-After", "5")]))
            }
            state.state.withLock { $0.handedOn = true }
            // Suspend before handing off, so the answer can never arrive before the suspension.
            MHD_suspend_connection(connection)
            let handle = SuspendedConnection(pointer: connection)
            start(
                Responder { make in
                    state.state.withLock { $0.response = make }
                    MHD_resume_connection(handle.pointer)
                })
            return .YES
        }
    }
}

/// Releases the request's HTTPConnection and starts the clock for the connection's next head.
let httpRequestCompleted: MHD_RequestCompletedCallback = { cls, connection, conCls, _ in
    guard let cls, let conCls, let raw = conCls.pointee else { return }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    server.active.subtract(1, ordering: .relaxed)
    // Not when it is resumed: its answer is written after that, and a drain must not stop the
    // server in between (the client would hear nothing of a message that was stored).
    if Unmanaged<HTTPConnection>.fromOpaque(raw).takeUnretainedValue().state.withLock({ $0.handedOn }) {
        server.suspended.subtract(1, ordering: .sequentiallyConsistent)
    }
    if let connection { responseSent(connection, server.heads) }
    Unmanaged<HTTPConnection>.fromOpaque(raw).release()
    conCls.pointee = nil
}

private func tooLarge(_ server: HTTPServer) -> HTTPResponse {
    .error(
        413,
        "The body is larger than the limit of \(server.maxBodyBytes.load(ordering: .relaxed)) bytes ([server] max_body_bytes).",
        headers: [("Connection", "close")])
}

private func queue(_ connection: OpaquePointer, _ r: HTTPResponse) -> MHD_Result {
    let response = r.body.withUnsafeBytes { buf in
        MHD_create_response_from_buffer(
            buf.count, UnsafeMutableRawPointer(mutating: buf.baseAddress), .RESPMEM_MUST_COPY)
    }
    guard let response else { return .NO }
    defer { MHD_destroy_response(response) }
    for (name, value) in r.headers { _ = MHD_add_response_header(response, name, value) }
    return MHD_queue_response(connection, UInt32(r.status), response)
}

/// The query arguments; a repeated name keeps the last value.
private func queryArguments(_ connection: OpaquePointer) -> [String: String] {
    Dictionary(connectionValues(connection, .GET_ARGUMENT_KIND, lowercaseNames: false)) { $1 }
}

/// The header fields in order, names lower-cased.
private func headerList(_ connection: OpaquePointer) -> [(name: String, value: String)] {
    connectionValues(connection, .HEADER_KIND, lowercaseNames: true)
}

/// libmicrohttpd's name/value pairs of one kind, in order.
private func connectionValues(_ connection: OpaquePointer, _ kind: MHD_ValueKind, lowercaseNames: Bool) -> [(
    name: String, value: String
)] {
    final class Box {
        var fields: [(name: String, value: String)] = []
        let lowercase: Bool
        init(lowercase: Bool) { self.lowercase = lowercase }
    }
    // Counting needs no callback: most requests have no query arguments.
    let count = Int(MHD_get_connection_values(connection, kind, nil, nil))
    if count == 0 { return [] }
    let box = Box(lowercase: lowercaseNames)
    box.fields.reserveCapacity(count)
    let unmanaged = Unmanaged.passRetained(box)
    defer { unmanaged.release() }
    _ = MHD_get_connection_values(
        connection, kind,
        { cls, _, key, value in
            guard let cls, let key else { return .YES }
            let box = Unmanaged<Box>.fromOpaque(cls).takeUnretainedValue()
            box.fields.append(
                (box.lowercase ? asciiLowercased(key) : String(cString: key), value.map { String(cString: $0) } ?? ""))
            return .YES
        }, unmanaged.toOpaque())
    return box.fields
}

/// Header names are ASCII tokens (RFC 9110); lower-casing their bytes skips Unicode case mapping.
private func asciiLowercased(_ c: UnsafePointer<CChar>) -> String {
    let bytes = UnsafeRawBufferPointer(start: c, count: strlen(c))
    return String(unsafeUninitializedCapacity: bytes.count) { out in
        for (i, b) in bytes.enumerated() { out[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        return bytes.count
    }
}

private func clientAddress(_ connection: OpaquePointer, request: HTTPRequest, trustProxy: Bool) -> String {
    if trustProxy {
        if let xff = request.header("x-forwarded-for"), let first = xff.split(separator: ",").first {
            return first.trimmingCharacters(in: .whitespaces)
        }
        if let real = request.header("x-real-ip") { return real }
    }
    guard let info = outreach_mhd_client_address(connection), let sa = info.pointee.client_addr else {
        return "unknown"
    }
    switch Int32(sa.pointee.sa_family) {
    case AF_INET:
        // Every request has one; four numbers need no inet_ntop.
        return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
            let a = UInt32(bigEndian: p.pointee.sin_addr.s_addr)
            return "\(a >> 24).\((a >> 16) & 0xFF).\((a >> 8) & 0xFF).\(a & 0xFF)"
        }
    case AF_INET6:
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
            var a = p.pointee.sin6_addr
            _ = inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count))
        }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    default: return "unknown"
    }
}
