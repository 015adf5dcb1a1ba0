/// Country calling codes with each country's trunk prefix and national number length.
///
/// Lengths are of the national significant number (after the calling code). Numbers with a
/// calling code not listed here are still accepted when their total length fits E.164.
enum CallingCodes {
    struct Rule: Sendable, Equatable {
        var code: String
        var trunkPrefixes: [String]
        var minDigits: Int
        var maxDigits: Int
    }

    // ISO alpha-2, calling code, trunk prefixes ("-" for none), min and max national digits.
    private static let table = """
        DK 45 - 8 8
        FO 298 - 6 6
        GL 299 - 6 6
        NO 47 - 8 8
        SJ 47 - 8 8
        SE 46 0 7 10
        FI 358 0 5 12
        AX 358 0 5 12
        IS 354 - 7 9
        DE 49 0 6 13
        AT 43 0 4 13
        CH 41 0 9 9
        LI 423 - 7 9
        GB 44 0 9 10
        IE 353 0 7 9
        FR 33 0 9 9
        BE 32 0 8 9
        NL 31 0 9 9
        LU 352 - 4 11
        ES 34 - 9 9
        PT 351 - 9 9
        IT 39 - 6 11
        SM 378 - 6 10
        MC 377 - 8 9
        AD 376 - 6 9
        MT 356 - 8 8
        CY 357 - 8 8
        GR 30 - 10 10
        PL 48 - 9 9
        CZ 420 - 9 9
        SK 421 0 9 9
        HU 36 06 8 9
        SI 386 0 8 8
        HR 385 0 8 9
        RO 40 0 9 9
        BG 359 0 7 9
        EE 372 - 7 8
        LV 371 - 8 8
        LT 370 0,8 8 8
        US 1 1 10 10
        CA 1 1 10 10
        TR 90 0 10 10
        UA 380 0 9 9
        SY 963 0 8 9
        AF 93 0 9 9
        IQ 964 0 8 10
        IR 98 0 10 10
        SO 252 0 7 9
        ER 291 0 7 7
        ET 251 0 9 9
        BR 55 0 10 11
        RU 7 8 10 10
        KZ 7 8 10 10
        BY 375 8,80 9 9
        MD 373 0 8 8
        GE 995 0 9 9
        AM 374 0 8 8
        AZ 994 0 9 9
        RS 381 0 6 12
        BA 387 0 8 9
        ME 382 0 8 8
        MK 389 0 8 8
        AL 355 0 8 9
        XK 383 0 8 9
        PK 92 0 9 10
        IN 91 0 10 10
        BD 880 0 8 10
        LK 94 0 9 9
        NP 977 0 8 10
        CN 86 0 8 11
        VN 84 0 9 10
        TH 66 0 8 9
        PH 63 0 8 10
        ID 62 0 8 12
        MY 60 0 8 10
        JP 81 0 9 10
        KR 82 0 8 10
        AU 61 0 9 9
        NZ 64 0 8 10
        MX 52 - 10 10
        AR 54 0 10 10
        CO 57 - 10 10
        CL 56 - 9 9
        PE 51 0 8 9
        VE 58 0 10 10
        CU 53 0 8 8
        EG 20 0 9 10
        MA 212 0 9 9
        DZ 213 0 8 9
        TN 216 - 8 8
        LY 218 0 8 9
        SD 249 0 9 9
        SS 211 0 9 9
        NG 234 0 8 10
        GH 233 0 9 9
        KE 254 0 9 9
        UG 256 0 9 9
        TZ 255 0 9 9
        RW 250 0 9 9
        CD 243 0 9 9
        ZA 27 0 9 9
        DJ 253 - 8 8
        YE 967 0 7 9
        SA 966 0 8 9
        AE 971 0 8 9
        JO 962 0 8 9
        LB 961 0 7 8
        PS 970 0 8 9
        IL 972 0 8 9
        KW 965 - 8 8
        QA 974 - 8 8
        BH 973 - 8 8
        OM 968 - 8 8
        TJ 992 - 9 9
        UZ 998 - 9 9
        TM 993 8 8 8
        KG 996 0 9 9
        MN 976 - 8 8
        """

    private static let byCountry: [String: Rule] = {
        var out: [String: Rule] = [:]
        for line in table.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 5, let lo = Int(f[3]), let hi = Int(f[4]) else {
                preconditionFailure("bad calling code row: \(line)")
            }
            let trunks = f[2] == "-" ? [] : f[2].split(separator: ",").map(String.init).sorted { $0.count > $1.count }
            out[f[0]] = Rule(code: f[1], trunkPrefixes: trunks, minDigits: lo, maxDigits: hi)
        }
        return out
    }()

    // Shared codes (+1, +7, +47, +358) map to the rule of the first country listed.
    private static let byCode: [String: Rule] = {
        var out: [String: Rule] = [:]
        for line in table.split(separator: "\n") {
            let f = line.split(separator: " ")
            if out[String(f[1])] == nil, let r = byCountry[String(f[0])] { out[String(f[1])] = r }
        }
        return out
    }()

    /// The rule for an ISO 3166 alpha-2 country code (any case).
    static func rule(forCountry iso: String) -> Rule? { byCountry[iso.uppercased()] }

    /// The rule whose calling code starts `digits` (longest match); otherwise only E.164's 7–15 total digits apply.
    static func rule(forInternational digits: String) -> Rule {
        for length in stride(from: 3, through: 1, by: -1) where digits.count > length {
            if let r = byCode[String(digits.prefix(length))] { return r }
        }
        return Rule(code: "", trunkPrefixes: [], minDigits: 7, maxDigits: 15)
    }

    /// Every ISO code in the table, for documentation and tests.
    static var countries: [String] { byCountry.keys.sorted() }
}
