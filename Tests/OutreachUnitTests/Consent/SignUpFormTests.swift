import Foundation
import Testing
@testable import Outreach

/// The pure parts of issue 19.7's sign-up form: field filtering and checks, when values reach a
/// contact, HTML or JSON, the page language, form bodies, and CORS origin matching.
@Suite struct SignUpFormUnitTests {
    @Test func onlyDeclaredFieldsAreKeptAndChecked() throws {
        let form = ["email": "a@example.org", "country": " it ", "role": "mentor", "secret": "x", "team": ""]
        #expect(
            try SignUpForm.values(form, declared: ["country", "role", "team"]) == ["country": "IT", "role": "mentor"])
        #expect(throws: SignUpFormError.self) { try SignUpForm.values(["country": "Italy"], declared: ["country"]) }
        #expect(throws: SignUpFormError.self) { try SignUpForm.values(["country": "XX"], declared: ["country"]) }
        let long = String(repeating: "a", count: SignUpForm.maxValueLength + 1)
        #expect(throws: SignUpFormError.self) { try SignUpForm.values(["role": long], declared: ["role"]) }
        #expect(throws: SignUpFormError.self) { try SignUpForm.values(["role": "a\nb"], declared: ["role"]) }
    }

    @Test func fieldNamesAndThankYouURLs() throws {
        #expect(try SignUpForm.fieldNames("country, role,,role") == ["country", "role"])
        #expect(try SignUpForm.fieldNames("") == [])
        #expect(throws: SignUpFormError.ownField("email")) { try SignUpForm.fieldNames("country,email") }
        #expect(throws: SignUpFormError.badFieldName("a b")) { try SignUpForm.fieldNames("a b") }
        #expect(try SignUpForm.thankYouURL("https://www.example.org/thanks") == "https://www.example.org/thanks")
        #expect(try SignUpForm.thankYouURL("") == nil)
        for bad in ["ftp://x.org/", "/thanks", "javascript:alert(1)", "https:///x", "https://x.org/a b"] {
            #expect(throws: SignUpFormError.self, "\(bad)") { try SignUpForm.thankYouURL(bad) }
        }
    }

    @Test func unconfirmedValuesOnlyFillWhatIsMissing() {
        let existing = ["role": "teacher"]
        let form = ["role": "student", "country": "IT"]
        #expect(SignUpForm.merge(form, into: existing, confirmed: false) == ["role": "teacher", "country": "IT"])
        #expect(SignUpForm.merge(form, into: existing, confirmed: true) == ["role": "student", "country": "IT"])
    }

    @Test func browsersGetHTMLEverythingElseJSON() {
        #expect(SignUpForm.prefersHTML(accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
        #expect(SignUpForm.prefersHTML(accept: "text/html"))
        #expect(!SignUpForm.prefersHTML(accept: nil))
        #expect(!SignUpForm.prefersHTML(accept: "*/*"))
        #expect(!SignUpForm.prefersHTML(accept: "application/json"))
        #expect(!SignUpForm.prefersHTML(accept: "application/json, text/html;q=0.5"))
        #expect(!SignUpForm.prefersHTML(accept: "text/html;q=0"))
    }

    @Test func pageLanguageIsTheFormsThenTheBrowsersThenEnglish() {
        let have: Set<String> = ["en", "da", "de", "ar"]
        #expect(PageLanguage.choose(["de", "da"], available: have) == "de")
        #expect(PageLanguage.choose([nil, "fr-FR,ar;q=0.8,da;q=0.5"], available: have) == "ar")
        #expect(PageLanguage.choose(["pt-BR", "da;q=0.2, de;q=0.9"], available: have) == "de")
        #expect(PageLanguage.choose(["nb-NO"], available: have) == "da")
        #expect(PageLanguage.choose(["fr", nil], available: have) == "en")
        #expect(PageLanguage.choose(["de;q=0, da"], available: have) == "da")
    }

    @Test func multipartAndURLEncodedForms() {
        let boundary = "----formboundary19"
        var body = ""
        for (k, v) in [("email", "ana@example.org"), ("country", "it")] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.pdf\"\r\n\r\n%PDF\r\n"
        body += "--\(boundary)--\r\n"
        let fields = SignUpForm.formFields(
            body: Array(body.utf8), contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(fields == ["email": "ana@example.org", "country": "it"])
        #expect(
            SignUpForm.formFields(
                body: Array("email=a%40x.org&name=A+B".utf8), contentType: "application/x-www-form-urlencoded")
                == ["email": "a@x.org", "name": "A B"])
        #expect(SignUpForm.formFields(body: [], contentType: "application/json") == nil)
    }

    @Test func originsMatchExactlyAfterNormalizing() throws {
        let o = try AllowedOrigins(["https://www.example.org", "http://localhost:8080"])
        #expect(o.allows("https://www.example.org"))
        #expect(o.allows("HTTPS://WWW.EXAMPLE.ORG:443"))
        #expect(o.allows("http://localhost:8080"))
        #expect(!o.allows("http://www.example.org"))
        #expect(!o.allows("https://example.org"))
        #expect(!o.allows("https://www.example.org.evil.net"))
        #expect(!o.allows("null"))
        #expect(!o.allows(nil))
        #expect(try AllowedOrigins(["*"]).allows("https://anyone.example"))
        #expect(throws: OriginError.self) { try AllowedOrigins(["https://www.example.org/"]) }
        #expect(throws: OriginError.self) { try AllowedOrigins(["www.example.org"]) }
        #expect(throws: OriginError.self) { try AllowedOrigins(["https://www.example.org/signup"]) }
    }
}
