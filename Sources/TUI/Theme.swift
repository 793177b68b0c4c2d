import Foundation

/// A named mapping from every ``StyleRole`` to a ``TextStyle``, read from `Themes/*.json`.
///
/// File format: `{"name": "light", "styles": {"title": {"fg": "blue", "bold": true}, ...}}`.
/// Colours are names (`red`, `bright-cyan`, `default`), palette indices 0-255 or `#rrggbb`;
/// attributes are `bold`, `underline`, `reverse`, `dim`. Roles a file leaves out keep the
/// default theme's style; an unknown role or colour is an error naming the file and role.
public struct Theme: Hashable, Sendable {
    /// The theme's name (the file name without `.json` unless the file says otherwise).
    public var name: String
    /// The style of every role.
    public var styles: [StyleRole: TextStyle]

    /// A theme from a role table.
    public init(name: String, styles: [StyleRole: TextStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The style for `role` (plain text when the theme lacks it).
    public subscript(role: StyleRole) -> TextStyle { styles[role] ?? TextStyle() }

    /// The built-in dark theme, used when no theme file can be read.
    public static let defaultDark = Theme(name: "default-dark", styles: [
        .normal: TextStyle(),
        .title: TextStyle(foreground: .indexed(14), bold: true),
        .border: TextStyle(foreground: .indexed(8)),
        .focusedBorder: TextStyle(foreground: .indexed(14), bold: true),
        .header: TextStyle(foreground: .indexed(11), bold: true),
        .selection: TextStyle(foreground: .indexed(0), background: .indexed(14)),
        .selectionUnfocused: TextStyle(foreground: .indexed(15), background: .indexed(8)),
        .selectionHighlight: TextStyle(foreground: .indexed(0), background: .indexed(14), bold: true, underline: true),
        .scoreUp: TextStyle(foreground: .indexed(10)),
        .scoreDown: TextStyle(foreground: .indexed(9)),
        .dim: TextStyle(foreground: .indexed(8)),
        .error: TextStyle(foreground: .indexed(9), bold: true),
        .status: TextStyle(foreground: .indexed(15), background: .indexed(4)),
        .statusKey: TextStyle(foreground: .indexed(11), background: .indexed(4), bold: true),
        .highlight: TextStyle(foreground: .indexed(11), bold: true, underline: true),
        .plotSeries1: TextStyle(foreground: .indexed(14)),
        .plotSeries2: TextStyle(foreground: .indexed(13)),
        .plotSeries3: TextStyle(foreground: .indexed(10)),
        .overlay: TextStyle(foreground: .indexed(15), background: .indexed(0)),
        .progress: TextStyle(foreground: .indexed(10), bold: true),
        .commandLine: TextStyle(foreground: .indexed(15)),
    ])

    /// Parses theme JSON. `file` names the source in errors.
    public static func parse(_ data: Data, file: String) throws(ThemeError) -> Theme {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .malformedJSON(file: file, reason: error.localizedDescription)
        }
        guard let root = object as? [String: Any] else {
            throw .malformedJSON(file: file, reason: "top level is not an object")
        }
        let fileName = (file as NSString).lastPathComponent
        let name = root["name"] as? String ?? (fileName as NSString).deletingPathExtension
        guard let styleTable = root["styles"] as? [String: Any] else {
            throw .missingField(file: file, field: "styles")
        }
        var styles = Theme.defaultDark.styles
        for (key, value) in styleTable.sorted(by: { $0.key < $1.key }) {
            guard let role = StyleRole(rawValue: key) else { throw .unknownRole(file: file, role: key) }
            styles[role] = try parseStyle(value, role: key, file: file)
        }
        return Theme(name: name, styles: styles)
    }

    /// Reads and parses a theme file.
    public static func load(contentsOf url: URL) throws(ThemeError) -> Theme {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try parse(data, file: url.path)
    }

    /// The theme `name` from `directory` (`directory/name.json`), or the default theme and a
    /// status-bar message naming the file and the problem when it cannot be used.
    public static func resolve(name: String, in directory: URL) -> (theme: Theme, warning: String?) {
        let url = directory.appendingPathComponent(name.hasSuffix(".json") ? name : name + ".json")
        do {
            return (try load(contentsOf: url), nil)
        } catch {
            return (defaultDark, "\(error.description); using default theme")
        }
    }

    /// Every readable theme in `directory` sorted by name, plus one message per broken file.
    public static func loadAll(in directory: URL) -> (themes: [Theme], problems: [String]) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var themes: [Theme] = []
        var problems: [String] = []
        for file in files.sorted() where file.hasSuffix(".json") {
            do {
                themes.append(try load(contentsOf: directory.appendingPathComponent(file)))
            } catch {
                problems.append(error.description)
            }
        }
        return (themes, problems)
    }

    private static func parseStyle(_ value: Any, role: String, file: String) throws(ThemeError) -> TextStyle {
        if let text = value as? String {
            guard let color = TerminalColor(parsing: text) else {
                throw .badColor(file: file, role: role, value: text)
            }
            return TextStyle(foreground: color)
        }
        guard let table = value as? [String: Any] else {
            throw .badColor(file: file, role: role, value: "\(value)")
        }
        var style = TextStyle()
        for (key, item) in table.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "fg", "bg":
                let text = (item as? String) ?? (item as? NSNumber).map { "\($0.intValue)" } ?? "\(item)"
                guard let color = TerminalColor(parsing: text) else {
                    throw .badColor(file: file, role: role, value: text)
                }
                if key == "fg" { style.foreground = color } else { style.background = color }
            case "bold", "underline", "reverse", "dim":
                guard let flag = item as? Bool else {
                    throw .badAttribute(file: file, role: role, attribute: key)
                }
                switch key {
                case "bold": style.bold = flag
                case "underline": style.underline = flag
                case "reverse": style.reverse = flag
                default: style.dim = flag
                }
            default:
                throw .badAttribute(file: file, role: role, attribute: key)
            }
        }
        return style
    }
}

/// Why a theme file could not be used; every case names the file.
public enum ThemeError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformedJSON(file: String, reason: String)
    case missingField(file: String, field: String)
    case unknownRole(file: String, role: String)
    case badColor(file: String, role: String, value: String)
    case badAttribute(file: String, role: String, attribute: String)

    /// A one-line message naming the file and the problem.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "theme \(file): cannot read (\(reason))"
        case .malformedJSON(let file, let reason): "theme \(file): malformed JSON (\(reason))"
        case .missingField(let file, let field): "theme \(file): missing \"\(field)\""
        case .unknownRole(let file, let role): "theme \(file): unknown role \"\(role)\""
        case .badColor(let file, let role, let value): "theme \(file): role \"\(role)\" has bad colour \"\(value)\""
        case .badAttribute(let file, let role, let attribute):
            "theme \(file): role \"\(role)\" has bad attribute \"\(attribute)\""
        }
    }
}
