/// The `:` command line: the commands it knows, Tab completion and execution.
public enum CommandLineCommands {
    /// Command names with their argument help, as completion offers them.
    public static let names = ["filter", "help", "k", "quit", "sort", "theme", "users"]

    /// Candidates for completing the last word of `text`.
    public static func candidates(for text: String, model: AppModel) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 {
            return names.filter { $0.hasPrefix(words.first ?? "") }
        }
        let last = words.last ?? ""
        let options: [String]
        switch words[0] {
        case "theme": options = model.themes.map(\.name)
        case "sort": options = UserSort.allCases.map(\.rawValue)
        default: options = []
        }
        return options.filter { $0.hasPrefix(last) }
    }

    /// Completes `text`: the single candidate (plus a space after a command name), or the
    /// candidates' common prefix, listing them all.
    public static func complete(_ state: CommandLineState, model: AppModel) -> CommandLineState {
        var next = state
        let found = candidates(for: state.text, model: model)
        guard !found.isEmpty else {
            next.completions = []
            return next
        }
        var words = state.text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.isEmpty { words = [""] }
        if found.count == 1 {
            words[words.count - 1] = found[0]
            next.text = words.joined(separator: " ") + (words.count == 1 ? " " : "")
            next.completions = []
        } else {
            var prefix = found[0]
            for candidate in found.dropFirst() {
                while !candidate.hasPrefix(prefix) { prefix.removeLast() }
            }
            words[words.count - 1] = prefix
            next.text = words.joined(separator: " ")
            next.completions = found
        }
        return next
    }
}

func editCommandLine(_ m: inout AppModel, _ key: Key) -> [Command] {
    guard var state = m.commandLine else { return [] }
    switch key {
    case .char(let c):
        state.text.append(c)
        state.completions = []
    case .backspace:
        if state.text.isEmpty {
            m.commandLine = nil
            return []
        }
        state.text.removeLast()
        state.completions = []
    case .ctrl("u"):
        state.text = ""
    case .tab:
        state = CommandLineCommands.complete(state, model: m)
    case .escape, .ctrl("c"):
        m.commandLine = nil
        return []
    case .enter:
        m.commandLine = nil
        return execute(&m, state.text)
    default:
        break
    }
    m.commandLine = state
    return []
}

/// Runs one command-line command.
func execute(_ m: inout AppModel, _ text: String) -> [Command] {
    let words = text.split(separator: " ").map(String.init)
    guard let name = words.first else { return [] }
    let argument = words.dropFirst().joined(separator: " ")
    switch name {
    case "q", "quit":
        return perform(&m, .quit)
    case "help":
        return perform(&m, .help)
    case "users":
        if m.openUser != nil { return perform(&m, .back) }
    case "filter":
        guard m.data != nil else { break }
        m.screen = .users
        m.focus = .users
        m.filter = argument
        m.usersList = ListState()
        m.refreshVisibleUsers()
    case "theme":
        guard let index = m.themes.firstIndex(where: { $0.name == argument }) else {
            setError(&m, "unknown theme \"\(argument)\" (have: \(m.themes.map(\.name).joined(separator: ", ")))")
            break
        }
        m.themeIndex = index
        setInfo(&m, "theme: \(m.theme.name)")
        return [.applyTheme(m.theme)]
    case "sort":
        let parts = argument.split(separator: " ")
        guard let key = parts.first.flatMap({ UserSort(rawValue: String($0)) }) else {
            setError(&m, "sort by: \(UserSort.allCases.map(\.rawValue).joined(separator: ", "))")
            break
        }
        m.sort = key
        m.sortDescending = parts.count > 1 && parts[1] == "desc"
        m.refreshVisibleUsers()
        setInfo(&m, "sorted by \(key.rawValue)")
    case "k":
        guard let k = Int(argument), (1...100).contains(k) else {
            setError(&m, "k needs a number from 1 to 100")
            break
        }
        m.k = k
        setInfo(&m, "k = \(k)")
        return requestRetrieval(&m)
    default:
        setError(&m, "unknown command \"\(name)\" (try Tab)")
    }
    return []
}
