import Foundation
import TUI
import XCTest

final class ThemeTests: XCTestCase {
    private var themesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Themes").standardizedFileURL
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tui-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testShippedThemes_AllParse_AndDefineEveryRole() throws {
        let (themes, problems) = Theme.loadAll(in: themesDirectory)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(themes.map(\.name), ["default-dark", "high-contrast", "light", "mono"])
        for theme in themes {
            let data = try Data(contentsOf: themesDirectory.appendingPathComponent(theme.name + ".json"))
            let styles = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["styles"] as? [String: Any])
            XCTAssertEqual(Set(styles.keys), Set(StyleRole.allCases.map(\.rawValue)), "\(theme.name) must style every role")
        }
    }

    func testMonoTheme_UsesNoColours() throws {
        let mono = try Theme.load(contentsOf: themesDirectory.appendingPathComponent("mono.json"))
        for role in StyleRole.allCases {
            XCTAssertEqual(mono[role].foreground, .default, "\(role)")
            XCTAssertEqual(mono[role].background, .default, "\(role)")
        }
        XCTAssertTrue(mono[.selection].reverse)
    }

    func testParse_ColourForms_NamesIndicesAndHex() throws {
        let json = ##"{"styles": {"title": {"fg": "bright-cyan", "bg": 236, "bold": true}, "dim": "#808080", "error": "gray"}}"##
        let theme = try Theme.parse(Data(json.utf8), file: "x/custom.json")
        XCTAssertEqual(theme.name, "custom")
        XCTAssertEqual(theme[.title], TextStyle(foreground: .indexed(14), background: .indexed(236), bold: true))
        XCTAssertEqual(theme[.dim].foreground, .rgb(128, 128, 128))
        XCTAssertEqual(theme[.error].foreground, .indexed(8))
        // roles the file leaves out keep the default theme's style
        XCTAssertEqual(theme[.selection], Theme.defaultDark[.selection])
    }

    func testParse_MalformedJSON_NamesFile() {
        XCTAssertThrowsError(try Theme.parse(Data("{\"styles\": ".utf8), file: "Themes/broken.json")) { error in
            guard case .malformedJSON(let file, _) = error as? ThemeError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "Themes/broken.json")
        }
    }

    func testParse_UnknownRoleAndBadColour_NameRoleAndValue() {
        XCTAssertThrowsError(try Theme.parse(Data(#"{"styles": {"titel": "red"}}"#.utf8), file: "t.json")) { error in
            XCTAssertEqual(error as? ThemeError, .unknownRole(file: "t.json", role: "titel"))
        }
        XCTAssertThrowsError(try Theme.parse(Data(#"{"styles": {"title": {"fg": "reddish"}}}"#.utf8), file: "t.json")) { error in
            XCTAssertEqual(error as? ThemeError, .badColor(file: "t.json", role: "title", value: "reddish"))
        }
        XCTAssertThrowsError(try Theme.parse(Data(#"{"styles": {"title": {"fg": 300}}}"#.utf8), file: "t.json")) { error in
            XCTAssertEqual(error as? ThemeError, .badColor(file: "t.json", role: "title", value: "300"))
        }
        XCTAssertThrowsError(try Theme.parse(Data(#"{"styles": {"title": {"blink": true}}}"#.utf8), file: "t.json")) { error in
            XCTAssertEqual(error as? ThemeError, .badAttribute(file: "t.json", role: "title", attribute: "blink"))
        }
    }

    func testResolve_MalformedFile_FallsBackToDefault_WithMessageNamingFileAndProblem() throws {
        let directory = try temporaryDirectory()
        try Data("{ not json".utf8).write(to: directory.appendingPathComponent("fancy.json"))
        let (theme, warning) = Theme.resolve(name: "fancy", in: directory)
        XCTAssertEqual(theme, Theme.defaultDark)
        let message = try XCTUnwrap(warning)
        XCTAssertTrue(message.contains("fancy.json"), message)
        XCTAssertTrue(message.contains("malformed JSON"), message)
        XCTAssertTrue(message.hasSuffix("using default theme"), message)
    }

    func testResolve_MissingFile_FallsBackWithMessage() throws {
        let (theme, warning) = Theme.resolve(name: "nope", in: try temporaryDirectory())
        XCTAssertEqual(theme, Theme.defaultDark)
        XCTAssertTrue(warning?.contains("nope.json") == true)
    }

    func testFallbackMessage_IsShownInStatusBar() {
        let model = AppModel(size: Size(width: 100, height: 30), statusMessage: "theme x.json: malformed JSON (eof); using default theme")
        let canvas = render(model)
        XCTAssertTrue(canvas.row(29).contains("theme x.json: malformed JSON"))
        let x = canvas.find("theme x.json")?.x ?? 0
        XCTAssertEqual(canvas[x, 29].role, .error)
    }

    func testColourMapping_HexToPaletteAndANSI() {
        XCTAssertEqual(TerminalColor.rgb(255, 0, 0).palette256, 196)
        XCTAssertEqual(TerminalColor.rgb(128, 128, 128).palette256, 244)
        XCTAssertEqual(TerminalColor.rgb(250, 10, 10).ansi(bright: true), 9)
        XCTAssertEqual(TerminalColor.rgb(250, 10, 10).ansi(bright: false), 1)
        XCTAssertEqual(TerminalColor.indexed(14).ansi(bright: false), 6)
        XCTAssertEqual(TerminalColor.default.palette256, -1)
    }
}
