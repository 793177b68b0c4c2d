import WorkbenchAPI

/// The `:` command line: Tab completion over the action table's command names and execution.
enum CommandLineCommands {
    /// Candidates for completing the last word of `text`.
    static func candidates(for text: String, model: AppModel) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 { return model.keys.commandNames.filter { $0.hasPrefix(words.first ?? "") } }
        let last = words.last ?? ""
        let options: [String]
        switch words[0] {
        case "theme": options = model.themes.map(\.name)
        case "sort": options = UserSort.allCases.map(\.rawValue)
        case "user": options = model.snapshot?.users.map(\.id) ?? []
        case "question", "outputs": options = model.snapshot?.users.flatMap { $0.questions.map(\.id) } ?? []
        case "delta": options = DeltaFilter.allCases.map(\.rawValue)
        default: options = []
        }
        return options.filter { $0.hasPrefix(last) }
    }

    /// Completes `text`: the single candidate (plus a space after a command name), or the
    /// candidates' common prefix, listing them all.
    static func complete(_ state: CommandLineState, model: AppModel) -> CommandLineState {
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
            next.completions = Array(found.prefix(50))
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

/// Runs one `:` command.
public func execute(_ m: inout AppModel, _ text: String) -> [Command] {
    let words = text.split(separator: " ").map(String.init)
    guard let name = words.first else { return [] }
    let argument = words.dropFirst().joined(separator: " ")
    if name == "q" { return perform(&m, .quit) }
    if let known = CommandOnly(rawValue: name) { return executeWithArgument(&m, known, argument) }
    if name == "filter" {
        guard m.snapshot != nil else { return [] }
        m.pendingNavigation.append(.replaceAll(.users))
        _ = applyNavigation(&m)
        if case .users(var screen) = m.stack[0] {
            screen.setFilter(argument, m)
            m.stack[0] = .users(screen)
        }
        return []
    }
    guard let action = m.keys.action(forCommand: name) else {
        m.setError("unknown command \"\(DisplayText.clip(name, 40))\" (Tab lists them, ? shows help)")
        return []
    }
    return perform(&m, action)
}

func executeWithArgument(_ m: inout AppModel, _ command: CommandOnly, _ argument: String) -> [Command] {
    switch command {
    case .user:
        guard m.snapshot != nil else {
            m.setError("the session is not loaded yet")
            return []
        }
        guard m.user(argument) != nil else {
            m.setError("no user \"\(DisplayText.clip(argument, 40))\" in this session (Tab completes ids)")
            return []
        }
        m.navigate(to: .user(argument))
    case .question, .outputs:
        guard m.snapshot != nil else {
            m.setError("the session is not loaded yet")
            return []
        }
        var id = argument
        if id.isEmpty, command == .outputs {
            switch m.stack.last {
            case .question(let s)?: id = s.questionID
            case .outputs(let s)?: id = s.questionID
            default: break
            }
        }
        guard m.snapshot?.users.contains(where: { $0.questions.contains { $0.id == id } }) == true else {
            m.setError(id.isEmpty ? ":\(command.rawValue) needs a question id (Tab completes)" : "no question \"\(DisplayText.clip(id, 40))\" in this session (Tab completes ids)")
            return []
        }
        m.navigate(to: command == .question ? .question(id) : .outputs(id))
    case .savePrompt:
        guard !argument.isEmpty else {
            m.setError(":save-prompt needs a file name")
            return []
        }
        guard case .outputs(let screen)? = m.stack.last, let prompt = screen.personalizedPrompt else {
            let fromQuestion: String? = { if case .question(let q)? = m.stack.last { return q.report?.outputs.first { $0.method == "hydra" }?.prompt } else { return nil } }()
            guard let prompt = fromQuestion else {
                m.setError(":save-prompt works on a question or outputs screen once its report is here")
                return []
            }
            return [.write(path: argument, contents: prompt)]
        }
        return [.write(path: argument, contents: prompt)]
    case .theme:
        guard let index = m.themes.firstIndex(where: { $0.name == argument }) else {
            m.setError("unknown theme \"\(DisplayText.clip(argument, 40))\" (have: \(m.themes.map(\.name).joined(separator: ", ")))")
            return []
        }
        m.themeIndex = index
        m.setInfo("theme: \(m.theme.name)")
        return [.applyTheme(m.theme)]
    case .sort, .delta:
        guard m.snapshot != nil else { return [] }
        m.pendingNavigation.append(.replaceAll(.users))
        _ = applyNavigation(&m)
        guard case .users(var screen) = m.stack[0] else { return [] }
        if command == .sort { screen.sortCommand(argument, &m) } else { screen.deltaCommand(argument, &m) }
        m.stack[0] = .users(screen)
    case .k:
        guard let k = Int(argument), (1...100).contains(k) else {
            m.setError("k needs a number from 1 to 100")
            return []
        }
        guard case .user(var screen) = m.stack.last else {
            m.setError(":k applies on a user screen")
            return []
        }
        m.stack.removeLast()
        let commands = screen.setK(k, &m)
        m.stack.append(.user(screen))
        return commands
    case .saveScreen:
        guard !argument.isEmpty else {
            m.setError(":save-screen needs a file name (FILE, or FILE.ansi for colours)")
            return []
        }
        var canvas = Canvas(size: m.size)
        view(m, into: &canvas)
        let contents = argument.hasSuffix(".ansi") ? canvas.ansiText(theme: m.theme) : canvas.dump()
        return [.write(path: argument, contents: contents)]
    case .exportLoss:
        guard !argument.isEmpty else {
            m.setError(":export-loss needs a file name")
            return []
        }
        guard !m.run.losses.curves.isEmpty else {
            m.setError("no loss recorded yet (r runs HYDRA)")
            return []
        }
        return [.write(path: argument, contents: m.run.losses.csv())]
    case .exclude, .include, .addItem, .exportReport:
        guard m.snapshot != nil else {
            m.setError("the session is not loaded yet")
            return []
        }
        guard let userID = m.currentUserID else {
            m.setError(":\(command.rawValue) applies to the user shown: open a user first")
            return []
        }
        switch command {
        case .exclude, .include: m.selectItems(userID, argument, include: command == .include)
        case .addItem: m.addItem(userID, argument)
        default: return m.exportReport(userID, directory: argument)
        }
    }
    return []
}
