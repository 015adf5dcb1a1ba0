import Testing
@testable import Channels

/// Reading IMAP answers as libcurl hands them over (response lines and data), for both ways
/// libcurl releases treat the literal of a custom FETCH.
@Suite struct IMAPResponseTests {
    static let message = "From: a@example.org\r\nSubject: hi\r\n\r\n* looks untagged\r\nbody\r\n"

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// libcurl 7.88: every line, the literal's too, reaches the header callback; the data holds
    /// only the untagged lines.
    @Test func theMessageIsTakenWholeFromTheLines() {
        let lines = Self.bytes(
            "A004 OK [READ-WRITE] Select completed.\r\n* 1 FETCH (UID 7 BODY[] {\(Self.message.utf8.count)}\r\n"
                + Self.message + ")\r\nA005 OK Fetch completed.\r\n")
        let body = Self.bytes("* 1 FETCH (UID 7 BODY[] {\(Self.message.utf8.count)}\r\n* looks untagged\r\n")
        #expect(IMAPResponse.fetchedMessage(lines: lines, body: body) == Self.bytes(Self.message))
    }

    /// A message without a final line break: the closing parenthesis follows on its last line.
    @Test func aMessageWithoutAFinalLineBreak() {
        let m = "Subject: x\r\n\r\nno newline"
        let lines = Self.bytes("* 2 FETCH (UID 9 BODY[] {\(m.utf8.count)}\r\n" + m + ")\r\nA5 OK done\r\n")
        #expect(IMAPResponse.fetchedMessage(lines: lines, body: []) == Self.bytes(m))
    }

    /// Later libcurl reads the literal as data, and the lines lack it.
    @Test func theMessageIsTakenFromTheDataWhenTheLinesLackIt() {
        let m = "Subject: x\r\n\r\ny\r\n"
        let head = "* 1 FETCH (UID 7 BODY[] {\(m.utf8.count)}\r\n"
        let lines = Self.bytes(head + ")\r\nA005 OK Fetch completed.\r\n")
        #expect(IMAPResponse.fetchedMessage(lines: lines, body: Self.bytes(head + m)) == Self.bytes(m))
    }

    /// The same, when only the literal is written as data.
    @Test func theMessageIsTheDataWhenItIsExactlyTheLiteral() {
        let m = "Subject: x\r\n\r\ny\r\n"
        let lines = Self.bytes("* 1 FETCH (UID 7 BODY[] {\(m.utf8.count)}\r\n)\r\nA005 OK Fetch completed.\r\n")
        #expect(IMAPResponse.fetchedMessage(lines: lines, body: Self.bytes(m)) == Self.bytes(m))
        #expect(IMAPResponse.fetchedMessage(lines: lines, body: Self.bytes("y\r\n")) == nil)
    }

    /// libcurl 7.88 ends the command at a line of the message shaped like its tag: what arrived is
    /// shorter than the literal, and no message is made of it.
    @Test func aLiteralCutShortIsNoMessage() {
        let lines = Self.bytes("* 1 FETCH (UID 7 BODY[] {500}\r\nSubject: x\r\n\r\nA005 OK Fetch completed\r\n")
        let body = Self.bytes("* 1 FETCH (UID 7 BODY[] {500}\r\n")
        #expect(IMAPResponse.fetchedMessage(lines: lines, body: body) == nil)
    }

    @Test func aMessageThatIsGoneIsNoMessage() {
        #expect(IMAPResponse.fetchedMessage(lines: Self.bytes("A005 OK Fetch completed.\r\n"), body: []) == nil)
    }

    @Test func searchUIDValidityCapabilities() {
        #expect(IMAPResponse.searchUIDs(Self.bytes("* SEARCH 12 3 7\r\n")) == [3, 7, 12])
        #expect(IMAPResponse.searchUIDs(Self.bytes("* SEARCH\r\n")) == [])
        let select = "* FLAGS (\\Seen)\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\nA3 OK [READ-WRITE] done\r\n"
        #expect(IMAPResponse.uidValidity(Self.bytes(select)) == 3_857_529_045)
        let caps = IMAPResponse.capabilities(Self.bytes("* CAPABILITY IMAP4rev1 move UIDPLUS\r\n"))
        #expect(caps == ["IMAP4REV1", "MOVE", "UIDPLUS"])
    }

    /// After a refused command libcurl logs out in the same transfer: the answer is the refusal.
    @Test func theCompletionIsTheCommandsNotTheLogout() {
        let lines =
            "A007 NO [TRYCREATE] Mailbox doesn't exist: Processed\r\n* BYE Logging out\r\nA008 OK Logout completed.\r\n"
        #expect(IMAPResponse.completion(Self.bytes(lines)) == "NO [TRYCREATE] Mailbox doesn't exist: Processed")
    }

    @Test func folderNamesAreQuoted() {
        #expect(IMAPResponse.quoted("Processed") == "\"Processed\"")
        #expect(IMAPResponse.quoted("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"")
    }
}
