import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses a document with Foundation's `XMLParser` and records what a test needs: the first
/// error, the elements in order, and all character data.
final class XMLCheck: NSObject, XMLParserDelegate {
    private(set) var error: String?
    private(set) var elements: [(name: String, attributes: [String: String])] = []
    private(set) var text = ""

    /// The parse of `document`; `error` is nil when it is well-formed XML.
    static func parse(_ document: String) -> XMLCheck {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = check
        if !parser.parse(), check.error == nil {
            check.error = parser.parserError.map { "\($0)" } ?? "parse failed without an error"
        }
        return check
    }

    func names(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append((elementName, attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if error == nil { error = "line \(parser.lineNumber): \(parseError)" }
    }
}
