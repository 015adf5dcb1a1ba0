import Outreach
import Testing

@Suite struct PhoneNumberTests {
    @Test(
        arguments: [
            ("21 43 66 77", "DK", "+4521436677"),
            ("+45 21-43-66-77", nil, "+4521436677"),
            ("0045 21.43.66.77", nil, "+4521436677"),
            ("45 21 43 66 77", "DK", "+4521436677"),
            ("070-123 45 67", "SE", "+46701234567"),
            ("+44 (0)20 7946 0958", nil, "+442079460958"),
            ("020 7946 0958", "gb", "+442079460958"),
            ("(202) 555-0123", "US", "+12025550123"),
            ("1 202 555 0123", "US", "+12025550123"),
            ("06 30 123 4567", "HU", "+36301234567"),
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("0532 123 45 67", "TR", "+905321234567"),
            ("050 123 4567", "UA", "+380501234567"),
            ("0944 123 456", "SY", "+963944123456"),
            ("0912 345 6789", "IR", "+989123456789"),
            ("06 1234 5678", "IT", "+390612345678"),
            ("912 345 678", "PT", "+351912345678"),
            ("(11) 91234-5678", "BR", "+5511912345678"),
            ("+252 61 234 5678", "DK", "+252612345678"),
            ("+999 123 4567", nil, "+9991234567"),
        ] as [(String, String?, String)])
    func normalises(raw: String, country: String?, expected: String) throws {
        #expect(try PhoneNumber.normalize(raw, defaultCountry: country) == expected)
    }

    @Test func refusesWithReason() {
        #expect(throws: PhoneNumberError.letters("+45 2143 66ab")) {
            try PhoneNumber.normalize("+45 2143 66ab", defaultCountry: nil)
        }
        #expect(throws: PhoneNumberError.tooShort("+45 2143", minimumDigits: 8)) {
            try PhoneNumber.normalize("+45 2143", defaultCountry: nil)
        }
        #expect(throws: PhoneNumberError.tooLong("+45 2143 66771", maximumDigits: 8)) {
            try PhoneNumber.normalize("+45 2143 66771", defaultCountry: nil)
        }
        #expect(throws: PhoneNumberError.noCountryCode("21436677")) {
            try PhoneNumber.normalize("21436677", defaultCountry: nil)
        }
        #expect(throws: PhoneNumberError.unknownCountry("XX")) {
            try PhoneNumber.normalize("21436677", defaultCountry: "XX")
        }
        #expect(throws: PhoneNumberError.empty) { try PhoneNumber.normalize(" - ", defaultCountry: "DK") }
        #expect(throws: PhoneNumberError.invalidCountryCode("+0123456789")) {
            try PhoneNumber.normalize("+0123456789", defaultCountry: nil)
        }
        #expect(throws: PhoneNumberError.tooLong("+999 1234 5678 9012 3", maximumDigits: 15)) {
            try PhoneNumber.normalize("+999 1234 5678 9012 3", defaultCountry: nil)
        }
        #expect(throws: PhoneNumberError.invalidCharacter("#", in: "2143#6677")) {
            try PhoneNumber.normalize("2143#6677", defaultCountry: "DK")
        }
        let e = PhoneNumberError.noCountryCode("21436677")
        #expect(e.description.contains("default_country"))
    }
}
