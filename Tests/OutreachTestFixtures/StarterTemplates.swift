import Outreach

/// The starter templates in `templates/`: their names, their languages, and data that fills every
/// field any of them uses.
public enum StarterTemplates {
    public static let names = [
        "confirm", "event-cancellation", "event-invitation", "event-reminder", "event-update", "newsletter",
        "press-release", "welcome",
    ]
    /// Every language the starter templates ship; Arabic and Persian are written right to left.
    public static let locales = ["en", "da", "sv", "de", "it", "el", "ar", "fa"]

    public static func library() throws -> TemplateLibrary {
        try TemplateLibrary(directory: FixturePaths.packageRoot + "/templates", defaultLocale: "en")
    }

    /// The fixture data without a contact name, a list or an event location: what a message to
    /// someone known only by an address looks like (no "Hi ," nor "Welcome to !").
    public static var sparseContext: JSON {
        var o = context.objectValue!
        o["contact"] = ["email": "ana@example.org"]
        o["list"] = nil
        var event = o["event"]!.objectValue!
        event["location"] = nil
        o["event"] = .object(event)
        return .object(o)
    }

    public static let context: JSON = [
        "organisation": "Sprogcenter Aarhus",
        "title": "Nyt fra madklubberne", "intro": "Foråret er her – og tre nye madklubber.",
        "items": [
            [
                "title": "Ny klub i Gellerup", "text": "Vi laver mad sammen hver tirsdag.",
                "link": "https://example.org/gellerup",
            ],
            ["title": "Informationsaften", "text": "Om skolesystemet."],
        ],
        "web_url": "https://example.org/nyhedsbrev/12",
        "headline": "Partnership opens dinner clubs in four countries", "dateline": "Aarhus, 3 March 2027",
        "summary": "Newcomers meet locals over dinner.", "paragraphs": ["First paragraph.", "Second paragraph."],
        "quote": ["text": "Food opens doors", "by": "Mette Holm, coordinator"],
        "press_contact": ["name": "Mette Holm", "email": "mette@example.org", "phone": "+45 21 43 66 77"],
        "about": "A language centre.", "embargo": "10:00 CET, 3 March 2027",
        "description": "We cook and eat together.", "rsvp_url": "https://example.org/rsvp/9",
        "note": "Bring a dish if you like.",
        "contact": ["name": "Ana Lima", "first_name": "Ana", "email": "ana@example.org"],
        "event": [
            "title": "Madklub", "when": "tirsdag 4. marts kl. 18.00", "location": "Gellerup Bibliotek",
            "changes": [
                "title": ["old": "Fællesspisning", "new": "Madklub"],
                "time": ["old": "mandag 3. marts kl. 18.00", "new": "tirsdag 4. marts kl. 18.00"],
                "place": ["old": "Foreningshuset", "new": "Gellerup Bibliotek"], "dates": true,
            ],
        ],
        "list": ["name": "madklub-nyt", "title": "Madklub-nyt"],
        "website": "https://sprogcenter.example", "postal_address": "Vesterbrogade 1, 8000 Aarhus C",
        "unsubscribe_url": "https://outreach.example.org/unsubscribe/tok123",
        "confirm_url": "https://outreach.example.org/confirm/tok456",
    ]
}
