/// Shortens values taken from the data before they go into an error message, so a 5,000-digit id
/// or a megabyte-long gold gives a one-line error instead of flooding the terminal.
public enum ErrorText {
    /// How many characters of a value an error shows.
    public static let shownCharacters = 40

    /// `text` itself when short, else its first `limit` characters followed by "…".
    public static func clipped(_ text: String, limit: Int = shownCharacters) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}
