// The channel adapters: outbox, SMTP email, webhook, SMS.
