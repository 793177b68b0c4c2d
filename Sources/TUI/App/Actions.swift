/// Everything a key or a `:` command can ask for (tig's `enum request`). Keys and command names
/// map to actions through one table, ``ActionTable``; screens react to actions, never to keys.
public enum Action: String, CaseIterable, Hashable, Sendable {
    // global
    case quit, forceQuit, help, back, commandLine, nextTheme, focusNext, focusPrevious
    case moveUp, moveDown, pageUp, pageDown, top, bottom, open
    case runPipeline, cancelRun, showUsers, showRun, showTraining, showResults, showHeads
    // what-if (user screen, and the commands from the heads screen)
    case toggleItem, undoEdit, redoEdit, refit, keepRefit, flipFit, coldStart
    // heads
    case cycleScorer
    // users
    case filter, cycleSort, reverseSort, cycleDeltaFilter
    // user
    case moreResults, fewerResults
    // training
    case cycleWindow, toggleLogScale, cycleSeriesMode, cycleModel
    // question and outputs
    case toggleDense, itemAlone, leaveOut, showOutputs, scrollWhyDown, scrollWhyUp
    case nextQuestion, previousQuestion, nextUserQuestion, previousUserQuestion
    case toggleFullPrompt, copyPrompt, cycleOutcomeFilter
}

/// Where a binding works.
public enum ActionScope: Hashable, Sendable, CaseIterable {
    case global, users, user, run, training, results, question, outputs, heads, coldStart

    /// The heading in the help overlay and the README.
    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .users: "Users"
        case .user: "User"
        case .run: "Run"
        case .training: "Training"
        case .results: "Results"
        case .question: "Question"
        case .outputs: "Outputs"
        case .heads: "Heads"
        case .coldStart: "Cold start"
        }
    }
}

/// One row of the table: an action, the keys that trigger it in a scope, the `:` command that
/// runs it (with its argument), and what it does.
public struct ActionBinding: Sendable {
    public var action: Action
    public var scope: ActionScope
    public var keys: [Key]
    /// The `:` command name, if the action has one.
    public var command: String?
    /// The command's argument, as help shows it (`ID`, `FILE`).
    public var argument: String?
    public var summary: String

    public init(_ action: Action, _ scope: ActionScope, keys: [Key], command: String? = nil, argument: String? = nil, _ summary: String) {
        self.action = action
        self.scope = scope
        self.keys = keys
        self.command = command
        self.argument = argument
        self.summary = summary
    }

    /// `j Down`, or `:user ID` for a command without keys.
    public var keyLabel: String { keys.map(\.label).joined(separator: " ") }
    /// `:user ID`.
    public var commandLabel: String? { command.map { ":" + $0 + (argument.map { " " + $0 } ?? "") } }
}

/// `:` commands that take arguments or have no action of their own; the same table lists them
/// so completion, help and the README know them.
public enum CommandOnly: String, CaseIterable, Sendable {
    case user, question, outputs, theme, sort, k, saveScreen = "save-screen", exportLoss = "export-loss", savePrompt = "save-prompt", delta
    case exclude, include, addItem = "add-item", exportReport = "export-report"

    public var argument: String {
        switch self {
        case .user, .question: "ID"
        case .outputs: "[ID]"
        case .savePrompt: "FILE"
        case .theme: "NAME"
        case .sort: "COLUMN [desc]"
        case .k: "N"
        case .saveScreen: "FILE[.ansi]"
        case .exportLoss: "FILE.csv"
        case .delta: "all|helped|hurt"
        case .exclude, .include: "N|N-M|FIELD=VALUE"
        case .addItem: "FIELD=TEXT …"
        case .exportReport: "DIR"
        }
    }

    public var summary: String {
        switch self {
        case .user: "open a user by id"
        case .question: "open the reranker debugger on a question"
        case .outputs: "zero-shot | RAG | base | personalized for a question (default: the one shown)"
        case .savePrompt: "write the personalized prompt of the question shown"
        case .theme: "use a theme from Themes/"
        case .sort: "sort the users table"
        case .k: "retrieve N items per question"
        case .saveScreen: "write the screen as text (ANSI colours with .ansi)"
        case .exportLoss: "write every loss series as CSV"
        case .delta: "keep users where personalization helped or hurt"
        case .exclude: "what-if: take history items out (positions, a range, or every item with FIELD=VALUE)"
        case .include: "what-if: put history items back"
        case .addItem: "what-if: write a new history item (every field of the task)"
        case .exportReport: "write the user's Markdown report with SVG charts into DIR"
        }
    }
}

/// The workbench's keys and commands, one table: key lookup, `:` lookup, the help overlay and
/// the README's key table all read it.
public struct ActionTable: Sendable {
    public var bindings: [ActionBinding]

    public init(bindings: [ActionBinding]) { self.bindings = bindings }

    /// The action `key` triggers on a screen of `scope` (the screen's bindings win).
    public func action(for key: Key, in scope: ActionScope?) -> Action? {
        if let scope, scope != .global,
            let hit = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) })
        {
            return hit.action
        }
        return bindings.first(where: { $0.scope == .global && $0.keys.contains(key) })?.action
    }

    /// The action a `:` command names.
    public func action(forCommand name: String) -> Action? {
        bindings.first(where: { $0.command == name })?.action
    }

    /// Every `:` command name, sorted.
    public var commandNames: [String] {
        Set(bindings.compactMap(\.command) + CommandOnly.allCases.map(\.rawValue)).sorted()
    }

    /// Help entries: one per binding plus the argument-taking commands, in table order.
    public var helpEntries: [HelpEntry] {
        var entries = bindings.map { HelpEntry(scope: $0.scope, keys: $0.keyLabel, command: $0.commandLabel, summary: $0.summary, action: $0.action, commandOnly: nil) }
        entries += CommandOnly.allCases.map {
            HelpEntry(scope: .global, keys: "", command: ":" + $0.rawValue + " " + $0.argument, summary: $0.summary, action: nil, commandOnly: $0)
        }
        return entries
    }

    /// The README's key table (Markdown), generated from this table.
    public func markdown() -> String {
        var lines = ["| where | keys | command | what it does |", "| --- | --- | --- | --- |"]
        for entry in helpEntries {
            let keys = entry.keys.isEmpty ? "" : "`" + entry.keys.replacingOccurrences(of: "|", with: "\\|") + "`"
            let command = entry.command.map { "`" + $0.replacingOccurrences(of: "|", with: "\\|") + "`" } ?? ""
            lines.append("| \(entry.scope.title) | \(keys) | \(command) | \(entry.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The workbench's bindings: vim keys and arrows both work.
    public static let standard = ActionTable(bindings: [
        ActionBinding(.quit, .global, keys: [.char("q")], command: "quit", "quit (asks first if work is running)"),
        ActionBinding(.forceQuit, .global, keys: [.ctrl("c")], "quit now"),
        ActionBinding(.help, .global, keys: [.char("?"), .function(1)], command: "help", "keys and commands; type to filter, Enter runs"),
        ActionBinding(.back, .global, keys: [.escape], command: "back", "go back / close"),
        ActionBinding(.commandLine, .global, keys: [.char(":")], "command line (Tab completes)"),
        ActionBinding(.nextTheme, .global, keys: [.char("t")], "switch to the next theme"),
        ActionBinding(.focusNext, .global, keys: [.tab, .char("l")], "focus the next pane"),
        ActionBinding(.focusPrevious, .global, keys: [.backTab, .char("h")], "focus the previous pane"),
        ActionBinding(.moveUp, .global, keys: [.char("k"), .up], "move up"),
        ActionBinding(.moveDown, .global, keys: [.char("j"), .down], "move down"),
        ActionBinding(.pageUp, .global, keys: [.ctrl("b"), .pageUp], "page up"),
        ActionBinding(.pageDown, .global, keys: [.ctrl("f"), .pageDown], "page down"),
        ActionBinding(.top, .global, keys: [.char("g"), .home], "first row"),
        ActionBinding(.bottom, .global, keys: [.char("G"), .end], "last row"),
        ActionBinding(.open, .global, keys: [.enter], "open the selected row"),
        ActionBinding(.runPipeline, .global, keys: [.char("r")], command: "run", "run HYDRA on the session and show its stages (resumes from the store)"),
        ActionBinding(.cancelRun, .global, keys: [.char("x")], command: "cancel", "stop the run (or the what-if job) at its next LLM call or step"),
        ActionBinding(.showUsers, .global, keys: [.char("1")], command: "users", "users screen"),
        ActionBinding(.showRun, .global, keys: [.char("2")], "run screen (stages, progress, time left)"),
        ActionBinding(.showTraining, .global, keys: [.char("3")], command: "training", "training screen (live loss)"),
        ActionBinding(.showResults, .global, keys: [.char("4")], command: "results", "results screen (methods × metrics)"),
        ActionBinding(.showHeads, .global, keys: [.char("5")], command: "heads", "head inspector: every user's heads, their map and what they learned"),
        ActionBinding(.refit, .global, keys: [], command: "refit", "re-fit the user's heads on the edited history (prices it first; again starts it)"),
        ActionBinding(.keepRefit, .global, keys: [], command: "keep-refit", "save the user's last re-fit over the run's heads"),
        ActionBinding(.coldStart, .global, keys: [], command: "coldstart", "cold start curve of the user shown (else of every evaluation user)"),
        ActionBinding(.filter, .users, keys: [.char("/")], command: "filter", argument: "TEXT", "filter users by id or text"),
        ActionBinding(.cycleSort, .users, keys: [.char("s")], "sort by the next column"),
        ActionBinding(.reverseSort, .users, keys: [.char("S")], "reverse the sort order"),
        ActionBinding(.cycleDeltaFilter, .users, keys: [.char("d")], "all users / personalization helped / hurt"),
        ActionBinding(.open, .users, keys: [.right], "open the user"),
        ActionBinding(.moreResults, .user, keys: [.char("+")], "retrieve more items (k + 5)"),
        ActionBinding(.fewerResults, .user, keys: [.char("-")], "retrieve fewer items (k - 5)"),
        ActionBinding(.toggleItem, .user, keys: [.char(" ")], "what-if: take the selected history item out, or put it back"),
        ActionBinding(.undoEdit, .user, keys: [.char("u")], "undo the last history edit"),
        ActionBinding(.redoEdit, .user, keys: [.ctrl("r")], "redo"),
        ActionBinding(.refit, .user, keys: [.char("F")], "re-fit the heads on the edited history (prices it first; F again starts it)"),
        ActionBinding(.flipFit, .user, keys: [.char("b")], "after a re-fit: show the run's fit or the re-fit"),
        ActionBinding(.coldStart, .user, keys: [.char("C")], "cold start curve of this user (5, 10, 20, 40 and all items; 3 seeds)"),
        ActionBinding(.showHeads, .user, keys: [.char("H")], "this user in the head inspector"),
        ActionBinding(.filter, .heads, keys: [.char("/")], "filter heads by user id"),
        ActionBinding(.cycleSort, .heads, keys: [.char("s")], "sort by the next column"),
        ActionBinding(.reverseSort, .heads, keys: [.char("S")], "reverse the sort order"),
        ActionBinding(.cycleScorer, .heads, keys: [.char("M")], "reranker / adapter heads"),
        ActionBinding(.open, .heads, keys: [.enter], "open the user (or, in the moves pane, the question)"),
        ActionBinding(.refit, .heads, keys: [.char("F")], "re-fit the selected user's heads on their edited history"),
        ActionBinding(.coldStart, .heads, keys: [.char("C")], "cold start curve of the selected user"),
        ActionBinding(.cycleWindow, .training, keys: [.char("w")], "plot window: all / last 500 / last 100 steps"),
        ActionBinding(.toggleLogScale, .training, keys: [.char("y")], "loss axis: linear / log"),
        ActionBinding(.cycleSeriesMode, .training, keys: [.char("m")], "series: selected / heads as small multiples / heads' mean and spread"),
        ActionBinding(.cycleModel, .training, keys: [.char("M")], "reranker / adapter heads"),
        ActionBinding(.focusNext, .question, keys: [.tab, .char("l")], "next ranking (BM25 · global head · user's head)"),
        ActionBinding(.toggleDense, .question, keys: [.char("d")], "show or hide the dense top-k"),
        ActionBinding(.itemAlone, .question, keys: [.char("a")], "counterfactual: answer with the selected item alone"),
        ActionBinding(.leaveOut, .question, keys: [.char("o")], "counterfactual: leave the selected item out of the prompt"),
        ActionBinding(.showOutputs, .question, keys: [.enter, .char("O")], "outputs side by side for this question"),
        ActionBinding(.scrollWhyDown, .question, keys: [.char("J")], "scroll the why pane down"),
        ActionBinding(.scrollWhyUp, .question, keys: [.char("K")], "scroll the why pane up"),
        ActionBinding(.nextQuestion, .question, keys: [.char("n")], "the user's next question"),
        ActionBinding(.previousQuestion, .question, keys: [.char("p")], "the user's previous question"),
        ActionBinding(.nextUserQuestion, .question, keys: [.char("N")], "the next user's first question"),
        ActionBinding(.previousUserQuestion, .question, keys: [.char("P")], "the previous user's first question"),
        ActionBinding(.toggleFullPrompt, .outputs, keys: [.char("F")], "prompts: retrieved items / full text"),
        ActionBinding(.copyPrompt, .outputs, keys: [.char("c")], "copy the personalized prompt to the clipboard (OSC 52)"),
        ActionBinding(.cycleOutcomeFilter, .outputs, keys: [.char("v")], "visit all questions / where the picks differ / helped / hurt"),
        ActionBinding(.nextQuestion, .outputs, keys: [.char("n")], "next question (of the user, or the filter's next)"),
        ActionBinding(.previousQuestion, .outputs, keys: [.char("p")], "previous question"),
        ActionBinding(.nextUserQuestion, .outputs, keys: [.char("N")], "next user's question"),
        ActionBinding(.previousUserQuestion, .outputs, keys: [.char("P")], "previous user's question"),
    ])
}

/// One line of the help overlay.
public struct HelpEntry: Sendable, Hashable {
    public var scope: ActionScope
    public var keys: String
    public var command: String?
    public var summary: String
    /// What Enter runs: the action, or (for argument commands) opens the command line.
    public var action: Action?
    public var commandOnly: CommandOnly?

    /// Whether the entry matches a typed filter (keys, command or words of the summary).
    public func matches(_ filter: String) -> Bool {
        guard !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        return summary.lowercased().contains(needle) || (command?.lowercased().contains(needle) ?? false)
            || keys.lowercased() == needle || scope.title.lowercased().contains(needle)
    }
}
