import Channels
import Foundation
import Outreach
import Testing

@Suite struct HTTPClientTests {
    @Test func batchIsSentConcurrentlyOverReusedConnections() throws {
        let recorder = try HTTPRecorder()
        let client = HTTPClient(options: .init(maxConnections: 2))
        for round in 0..<2 {
            let batch = (0..<10).map { i in
                HTTPClientRequest(
                    url: recorder.url + "/hook/\(round)/\(i)", headers: [("Content-Type", "application/json")],
                    body: Array("{\"n\":\(i)}".utf8))
            }
            let results = client.perform(batch)
            #expect(results.count == 10)
            for r in results { #expect((try? r.get().status) == 200) }
        }
        let seen = recorder.requests()
        #expect(seen.count == 20)
        #expect(Set(seen.map(\.path)) == Set((0..<2).flatMap { r in (0..<10).map { "/hook/\(r)/\($0)" } }))
        #expect(seen.allSatisfy { $0.json?["n"] != nil })
        // Two connections at most, kept open across both batches.
        #expect(Set(seen.compactMap(\.clientPort)).count <= 2)
    }

    @Test func methodsHeadersAndBasicAuth() throws {
        let recorder = try HTTPRecorder(
            responses: #"[{"status": 201, "headers": {"X-Id": "abc"}, "body": "{\"id\":1}"}]"#)
        let client = HTTPClient()
        let put = client.perform(
            HTTPClientRequest(
                method: "PUT", url: recorder.url + "/p?x=1", headers: [("X-A", "1")],
                body: Array("é".utf8), basicAuth: ("user", "pa:ss")))
        let response = try put.get()
        #expect(response.status == 201)
        #expect(response.header("x-id") == "abc")
        #expect(response.text == "{\"id\":1}")
        _ = client.perform(HTTPClientRequest(method: "GET", url: recorder.url + "/g"))
        let seen = recorder.requests()
        #expect(seen.count == 2)
        #expect(seen[0].method == "PUT")
        #expect(seen[0].query == ["x": "1"])
        #expect(seen[0].header("X-A") == "1")
        #expect(seen[0].body == "é")
        let auth = try #require(seen[0].header("Authorization"))
        #expect(auth == "Basic " + Data("user:pa:ss".utf8).base64EncodedString())
        #expect(seen[1].method == "GET")
        #expect(seen[1].body == "")
    }

    @Test func refusedConnectionIsATransportError() {
        let port = TestSupport.freePort()
        let result = HTTPClient().perform(HTTPClientRequest(url: "http://127.0.0.1:\(port)/x"))
        guard case .failure(.transport) = result else {
            Issue.record("expected a transport error, got \(result)")
            return
        }
    }

}
