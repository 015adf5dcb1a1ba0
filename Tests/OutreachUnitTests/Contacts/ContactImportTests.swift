import Testing
@testable import Outreach

@Suite struct ContactImportTests {
    let validator = ContactValidator(defaultCountry: "DK")

    @Test func everyBadRowIsReportedWithItsLine() throws {
        let csv = """
            email,phone,name,locale,timezone,role
            ana@example.org,,Ana,pt-BR,America/Sao_Paulo,mentor
            not-an-email,,Bad,en,Europe/Copenhagen,
            ,21 43 66 77,"Jensen, Jens",da,Europe/Copenhagen,volunteer
            bo@example.org,call me,Bo,da,,
            cy@example.org,,Cy,klingon-language-x,,
            dee@example.org,,"Dee
            Multi",en,Mars/Olympus,
            ana@example.org,,Ana again,pt,,
            ,,,,,
            """
        let r = try ContactImport.parse(csv, validator: validator)
        #expect(r.contacts.count == 2)
        #expect(r.contacts[1].phone == "+4521436677")
        #expect(r.contacts[1].name == "Jensen, Jens")
        #expect(r.contacts[0].attributes == ["role": "mentor"])
        #expect(r.errors.map(\.line) == [3, 5, 6, 7, 9, 10])
        #expect(r.errors[5].description == "line 10: the row has neither an email nor a phone number")
        #expect(r.errors[4].description == "line 9: 'ana@example.org' already appears on line 2")
        #expect(r.errors[3].description.contains("Mars/Olympus"))
    }

    @Test func anUnclosedQuoteIsAnError() {
        #expect(throws: CSVError.self) { try ContactImport.parse("email,name\na@b.org,\"open\n", validator: validator) }
    }
}

/// Issue 19.9: the delimiter is read from the header line.
@Suite struct CSVDelimiterTests {
    let validator = ContactValidator(defaultCountry: "DK")

    @Test func theHeaderLineNamesTheDelimiter() {
        #expect(CSVDelimiter.detect("email,name\na;b;c;d\n") == .comma)
        #expect(CSVDelimiter.detect("\u{FEFF}email;name;\"city, region\"\r\nx") == .semicolon)
        #expect(CSVDelimiter.detect("email\tname\tnote, more\n") == .tab)
        #expect(CSVDelimiter.detect("email\n") == .comma)
        #expect(CSVDelimiter.detect("\"a;b\",c\n") == .comma)
        #expect(CSVDelimiter(argument: "TAB") == .tab && CSVDelimiter(argument: ";") == .semicolon)
        #expect(CSVDelimiter(argument: "|") == nil)
    }

    @Test func aSemicolonFileReadsLikeACommaFile() throws {
        let r = try ContactImport.parse(
            "E-mail;Name;City\r\nana@example.org;\"Souza; Ana\";Porto\r\nbo@example.org;Bo;\r\n", validator: validator)
        #expect(r.errors.isEmpty)
        #expect(r.contacts.map(\.name) == ["Souza; Ana", "Bo"])
        #expect(r.contacts[0].attributes == ["city": "Porto"])
        #expect(throws: CSVError.self) {
            try ContactImport.parse("email;name\na@example.org;A\n", validator: validator, delimiter: .comma)
        }
    }
}
