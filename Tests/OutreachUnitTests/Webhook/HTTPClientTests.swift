import Channels
import Foundation
import Outreach
import Testing

/// Parsing and refusing requests without a peer; `HTTPClientTests+EndToEnd` talks to a recorder.
@Suite struct HTTPClientTests {
    @Test func malformedURLIsInvalid() {
        let result = HTTPClient().perform(HTTPClientRequest(url: "nope://x"))
        guard case .failure(.invalidRequest) = result else {
            Issue.record("expected invalidRequest, got \(result)")
            return
        }
    }

    @Test func retryAfterSecondsAndHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(HTTPClientResponse(status: 429, headers: [("Retry-After", "7")]).retryAfter(now: now) == 7)
        // 1_700_000_060 is Tue, 14 Nov 2023 22:14:20 GMT
        #expect(
            HTTPClientResponse(status: 503, headers: [("retry-after", "Tue, 14 Nov 2023 22:14:20 GMT")]).retryAfter(
                now: now)
                == 60)
        #expect(HTTPClientResponse(status: 503, headers: [("Retry-After", "soon")]).retryAfter(now: now) == nil)
    }
}
