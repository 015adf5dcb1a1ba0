extension SQLiteSchema {
    /// Sign-up from a web page (issue 19.7): a list's thank-you page and the fields its public form
    /// may set (a JSON array of names), and the form's values waiting with a pending membership
    /// until the person confirms (a JSON object; NULL when none wait). The same statements serve
    /// PostgreSQL (`PostgresSchema.migrations`).
    static let signUpForm = """
        ALTER TABLE lists ADD COLUMN thank_you_url TEXT;
        ALTER TABLE lists ADD COLUMN form_fields TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE memberships ADD COLUMN pending_fields TEXT;
        """
}
