/// Everything a key can ask for (tig's `enum request`). Keys map to actions in ``Keymap``s;
/// ``AppModel`` reacts to actions, never to raw keys.
public enum Action: String, CaseIterable, Hashable, Sendable {
    case quit, forceQuit, help, back, focusNext, focusPrevious
    case moveUp, moveDown, pageUp, pageDown, top, bottom, open
    case filter, cycleSort, reverseSort, commandLine, nextTheme, moreResults, fewerResults

    /// What the action does, as shown in the help overlay.
    public var description: String {
        switch self {
        case .quit: "quit (asks first if work is running)"
        case .forceQuit: "quit now"
        case .help: "show or hide this help"
        case .back: "go back / close"
        case .focusNext: "focus the next pane"
        case .focusPrevious: "focus the previous pane"
        case .moveUp: "move up"
        case .moveDown: "move down"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .top: "go to the first row"
        case .bottom: "go to the last row"
        case .open: "open the selected row"
        case .filter: "filter users by id or text"
        case .cycleSort: "sort by the next column"
        case .reverseSort: "reverse the sort order"
        case .commandLine: "command line (Tab completes)"
        case .nextTheme: "switch to the next theme"
        case .moreResults: "retrieve more items (k + 5)"
        case .fewerResults: "retrieve fewer items (k - 5)"
        }
    }
}

/// The panes that can hold focus; each has its own keymap.
public enum PaneID: String, CaseIterable, Hashable, Sendable {
    case users, profile, questions, retrieved

    /// The pane's title, kept stable for end-to-end tests.
    public var title: String {
        switch self {
        case .users: "Users"
        case .profile: "Profile"
        case .questions: "Questions"
        case .retrieved: "Retrieved (BM25)"
        }
    }
}

/// A named, ordered table of key bindings (order is the help overlay's order).
public struct Keymap: Sendable {
    /// The heading in the help overlay.
    public var name: String
    /// Keys and their actions, in help order.
    public var bindings: [(key: Key, action: Action)]

    /// A keymap called `name`.
    public init(name: String, bindings: [(key: Key, action: Action)]) {
        self.name = name
        self.bindings = bindings
    }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> Action? {
        bindings.first(where: { $0.key == key })?.action
    }
}

/// The keymaps of all panes plus the global fallback, as data.
public struct KeyBindings: Sendable {
    /// Bindings that work everywhere (the fallback).
    public var global: Keymap
    /// Bindings that only work in one pane; they win over global ones.
    public var panes: [PaneID: Keymap]

    /// Looks `key` up in `pane`'s keymap, then in the global one.
    public func action(for key: Key, in pane: PaneID?) -> Action? {
        if let pane, let action = panes[pane]?.action(for: key) { return action }
        return global.action(for: key)
    }

    /// Help text lines generated from the tables: a heading per keymap, then one line per
    /// action with all its keys, e.g. `  j Down          move down`.
    public func helpLines() -> [String] {
        var lines: [String] = []
        let maps = [global] + PaneID.allCases.compactMap { panes[$0] }
        for map in maps where !map.bindings.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append(map.name)
            var order: [Action] = []
            var keys: [Action: [String]] = [:]
            for (key, action) in map.bindings {
                if keys[action] == nil { order.append(action) }
                keys[action, default: []].append(key.label)
            }
            for action in order {
                let keyText = keys[action, default: []].joined(separator: " ")
                let pad = String(repeating: " ", count: max(1, 16 - DisplayWidth.of(keyText)))
                lines.append("  " + keyText + pad + action.description)
            }
        }
        return lines
    }

    /// The workbench's default bindings: vim keys and arrows both work.
    public static let standard = KeyBindings(
        global: Keymap(name: "Global", bindings: [
            (.char("q"), .quit), (.ctrl("c"), .forceQuit), (.char("?"), .help), (.function(1), .help),
            (.escape, .back), (.tab, .focusNext), (.backTab, .focusPrevious),
            (.char("l"), .focusNext), (.char("h"), .focusPrevious),
            (.char("k"), .moveUp), (.up, .moveUp), (.char("j"), .moveDown), (.down, .moveDown),
            (.ctrl("b"), .pageUp), (.pageUp, .pageUp), (.ctrl("f"), .pageDown), (.pageDown, .pageDown),
            (.char("g"), .top), (.home, .top), (.char("G"), .bottom), (.end, .bottom),
            (.enter, .open), (.char(":"), .commandLine), (.char("t"), .nextTheme),
        ]),
        panes: [
            .users: Keymap(name: "Users", bindings: [
                (.char("/"), .filter), (.char("s"), .cycleSort), (.char("S"), .reverseSort),
                (.right, .open),
            ]),
            .questions: Keymap(name: "Questions", bindings: [
                (.char("+"), .moreResults), (.char("-"), .fewerResults),
            ]),
            .retrieved: Keymap(name: "Retrieved (BM25)", bindings: [
                (.char("+"), .moreResults), (.char("-"), .fewerResults),
            ]),
        ])
}
