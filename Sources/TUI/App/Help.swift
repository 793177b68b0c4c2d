/// The help overlay: every binding and command from the action table, filtered as you type;
/// Enter runs the selected one.
func helpEntries(_ m: AppModel, filter: String) -> [HelpEntry] {
    let scope = m.stack.last?.scope ?? .global
    // the current screen's bindings first, then the global ones, then other screens'
    let all = m.keys.helpEntries
    let ordered = all.filter { $0.scope == scope && scope != .global } + all.filter { $0.scope == .global }
        + all.filter { $0.scope != scope && $0.scope != .global }
    return ordered.filter { $0.matches(filter) }
}

func handleHelpKey(_ m: inout AppModel, _ key: Key, filter: String, selected: Int) -> [Command] {
    let entries = helpEntries(m, filter: filter)
    switch key {
    case .escape, .function(1):
        m.overlay = nil
    case .ctrl("c"):
        return quitNow(&m)
    case .up, .ctrl("p"): m.overlay = .help(filter: filter, selected: max(0, selected - 1))
    case .down, .ctrl("n"): m.overlay = .help(filter: filter, selected: min(max(0, entries.count - 1), selected + 1))
    case .pageUp: m.overlay = .help(filter: filter, selected: max(0, selected - 10))
    case .pageDown: m.overlay = .help(filter: filter, selected: min(max(0, entries.count - 1), selected + 10))
    case .backspace: m.overlay = .help(filter: String(filter.dropLast()), selected: 0)
    case .ctrl("u"): m.overlay = .help(filter: "", selected: 0)
    case .char(let c): m.overlay = .help(filter: filter + String(c), selected: 0)
    case .enter:
        m.overlay = nil
        guard entries.indices.contains(selected) else { return [] }
        let entry = entries[selected]
        if let command = entry.commandOnly {
            m.commandLine = CommandLineState(text: command.rawValue + " ")
            return []
        }
        if let action = entry.action {
            if action == .filter {
                return perform(&m, .filter)
            }
            return perform(&m, action)
        }
    default:
        break
    }
    return []
}
