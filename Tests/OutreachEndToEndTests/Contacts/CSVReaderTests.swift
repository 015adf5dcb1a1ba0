import Foundation
import Testing
@testable import Outreach

/// The reader against Python's `csv` module, an independent RFC 4180 parser, on awkward input.
@Suite struct CSVReaderTests {
    static let awkward =
        "email,name,note\r\n"
        + "a@example.org,Ana,plain\r\n"
        + "b@example.org,\"Jensen, Jens\",\"says \"\"hi\"\"\"\n"
        + "c@example.org,\"Two\nlines\",x\r\n"
        + "d@example.org,,\n"
        + "e@example.org,Søren Ærø,مرحبا\n"
        + "f@example.org,5\" tall,a\"b\n"
        + "g@example.org,\"quoted\"tail,\"\"\n"
        + "h@example.org,last,no newline"

    @Test func fieldsMatchPythonsCSVModule() throws {
        var reader = CSVReader(Self.awkward)
        var ours: [[String]] = []
        var lines: [Int] = []
        while let row = reader.next() { ours.append(row.fields); lines.append(row.line) }
        #expect(reader.error == nil)
        let r = try TestSupport.python(
            """
            import csv, io, json, sys
            print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))
            """, stdin: Array(Self.awkward.utf8))
        let theirs = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String]]
        #expect(theirs == ours)
        #expect(lines == [1, 2, 3, 4, 6, 7, 8, 9, 10])
    }
}
