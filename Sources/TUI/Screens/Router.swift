import WorkbenchAPI

/// Where a screen is: the identity of every screen the workbench can show.
public enum Route: Hashable, Sendable {
    case users
    case user(String)
    case run
    case training
    case results
    case question(String)
    case outputs(String)
    case heads
    /// The cold start curve of a user, or of every evaluation user (`ColdStartScreen.allUsers`).
    case coldStart(String)

    /// The `:` command that opens it.
    public var command: String {
        switch self {
        case .users: "users"
        case .user(let id): "user \(id)"
        case .run: "run"
        case .training: "training"
        case .results: "results"
        case .question(let id): "question \(id)"
        case .outputs(let id): "outputs \(id)"
        case .heads: "heads"
        case .coldStart: "coldstart"
        }
    }
}

/// What every screen provides; the router below is the only code that knows them all.
protocol Screen: Sendable {
    /// The key bindings that apply on the screen (besides the global ones).
    static var scope: ActionScope { get }
    var route: Route { get }
    /// The title shown in the header.
    func title(_ app: AppModel) -> String
    /// Reacts to an action; may navigate through `app.navigate(to:)` or `app.goBack()`.
    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command]
    /// Reacts to a mouse event inside `body`.
    mutating func mouse(_ event: MouseEvent, body: Rect, _ app: inout AppModel) -> [Command]
    /// Recomputes what depends on shared data (the session, the run) after it changed.
    mutating func refresh(_ app: AppModel)
    /// A batch of a job this screen owns.
    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command]
    /// Keeps cursors inside their panes for the body size.
    mutating func layout(body: Rect)
    /// Draws the screen's body.
    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel)
}

extension Screen {
    mutating func mouse(_ event: MouseEvent, body: Rect, _ app: inout AppModel) -> [Command] { [] }
    mutating func refresh(_ app: AppModel) {}
    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command] { [] }
    mutating func layout(body: Rect) {}
}

/// A screen on the navigation stack, with its state.
public enum ScreenState: Sendable {
    case users(UsersScreen)
    case user(UserScreen)
    case run(RunScreen)
    case training(TrainingScreen)
    case results(ResultsScreen)
    case question(QuestionScreen)
    case outputs(OutputsScreen)
    case heads(HeadsScreen)
    case coldStart(ColdStartScreen)
}

/// The router: one switch per operation over every screen.
extension ScreenState {
    /// A fresh screen for `route`, with the commands it starts with.
    static func make(_ route: Route, _ app: inout AppModel) -> (ScreenState, [Command]) {
        switch route {
        case .users: return (.users(UsersScreen(app)), [])
        case .user(let id):
            var screen = UserScreen(userID: id)
            let commands = screen.start(&app)
            return (.user(screen), commands)
        case .run: return (.run(RunScreen()), [])
        case .training: return (.training(TrainingScreen()), [])
        case .results: return (.results(ResultsScreen()), [])
        case .question(let id):
            let (screen, commands) = QuestionScreen.open(id, &app)
            return (.question(screen), commands)
        case .outputs(let id):
            let (screen, commands) = OutputsScreen.open(id, filter: app.outputsFilter, &app)
            return (.outputs(screen), commands)
        case .heads:
            let (screen, commands) = HeadsScreen.open(&app)
            return (.heads(screen), commands)
        case .coldStart(let key):
            return (.coldStart(ColdStartScreen(key: key)), [])
        }
    }

    var route: Route {
        switch self {
        case .users(let s): s.route
        case .user(let s): s.route
        case .run(let s): s.route
        case .training(let s): s.route
        case .results(let s): s.route
        case .question(let s): s.route
        case .outputs(let s): s.route
        case .heads(let s): s.route
        case .coldStart(let s): s.route
        }
    }

    var scope: ActionScope {
        switch self {
        case .users: UsersScreen.scope
        case .user: UserScreen.scope
        case .run: RunScreen.scope
        case .training: TrainingScreen.scope
        case .results: ResultsScreen.scope
        case .question: QuestionScreen.scope
        case .outputs: OutputsScreen.scope
        case .heads: HeadsScreen.scope
        case .coldStart: ColdStartScreen.scope
        }
    }

    func title(_ app: AppModel) -> String {
        switch self {
        case .users(let s): s.title(app)
        case .user(let s): s.title(app)
        case .run(let s): s.title(app)
        case .training(let s): s.title(app)
        case .results(let s): s.title(app)
        case .question(let s): s.title(app)
        case .outputs(let s): s.title(app)
        case .heads(let s): s.title(app)
        case .coldStart(let s): s.title(app)
        }
    }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        switch self {
        case .users(var s): defer { self = .users(s) }; return s.perform(action, &app)
        case .user(var s): defer { self = .user(s) }; return s.perform(action, &app)
        case .run(var s): defer { self = .run(s) }; return s.perform(action, &app)
        case .training(var s): defer { self = .training(s) }; return s.perform(action, &app)
        case .results(var s): defer { self = .results(s) }; return s.perform(action, &app)
        case .question(var s): defer { self = .question(s) }; return s.perform(action, &app)
        case .outputs(var s): defer { self = .outputs(s) }; return s.perform(action, &app)
        case .heads(var s): defer { self = .heads(s) }; return s.perform(action, &app)
        case .coldStart(var s): defer { self = .coldStart(s) }; return s.perform(action, &app)
        }
    }

    mutating func mouse(_ event: MouseEvent, body: Rect, _ app: inout AppModel) -> [Command] {
        switch self {
        case .users(var s): defer { self = .users(s) }; return s.mouse(event, body: body, &app)
        case .user(var s): defer { self = .user(s) }; return s.mouse(event, body: body, &app)
        case .run(var s): defer { self = .run(s) }; return s.mouse(event, body: body, &app)
        case .training(var s): defer { self = .training(s) }; return s.mouse(event, body: body, &app)
        case .results(var s): defer { self = .results(s) }; return s.mouse(event, body: body, &app)
        case .question(var s): defer { self = .question(s) }; return s.mouse(event, body: body, &app)
        case .outputs(var s): defer { self = .outputs(s) }; return s.mouse(event, body: body, &app)
        case .heads(var s): defer { self = .heads(s) }; return s.mouse(event, body: body, &app)
        case .coldStart(var s): defer { self = .coldStart(s) }; return s.mouse(event, body: body, &app)
        }
    }

    mutating func refresh(_ app: AppModel) {
        switch self {
        case .users(var s): s.refresh(app); self = .users(s)
        case .user(var s): s.refresh(app); self = .user(s)
        case .run(var s): s.refresh(app); self = .run(s)
        case .training(var s): s.refresh(app); self = .training(s)
        case .results(var s): s.refresh(app); self = .results(s)
        case .question(var s): s.refresh(app); self = .question(s)
        case .outputs(var s): s.refresh(app); self = .outputs(s)
        case .heads(var s): s.refresh(app); self = .heads(s)
        case .coldStart(var s): s.refresh(app); self = .coldStart(s)
        }
    }

    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command] {
        switch self {
        case .users(var s): defer { self = .users(s) }; return s.receive(batch, from: id, &app)
        case .user(var s): defer { self = .user(s) }; return s.receive(batch, from: id, &app)
        case .run(var s): defer { self = .run(s) }; return s.receive(batch, from: id, &app)
        case .training(var s): defer { self = .training(s) }; return s.receive(batch, from: id, &app)
        case .results(var s): defer { self = .results(s) }; return s.receive(batch, from: id, &app)
        case .question(var s): defer { self = .question(s) }; return s.receive(batch, from: id, &app)
        case .outputs(var s): defer { self = .outputs(s) }; return s.receive(batch, from: id, &app)
        case .heads(var s): defer { self = .heads(s) }; return s.receive(batch, from: id, &app)
        case .coldStart(var s): defer { self = .coldStart(s) }; return s.receive(batch, from: id, &app)
        }
    }

    mutating func layout(body: Rect) {
        switch self {
        case .users(var s): s.layout(body: body); self = .users(s)
        case .user(var s): s.layout(body: body); self = .user(s)
        case .run(var s): s.layout(body: body); self = .run(s)
        case .training(var s): s.layout(body: body); self = .training(s)
        case .results(var s): s.layout(body: body); self = .results(s)
        case .question(var s): s.layout(body: body); self = .question(s)
        case .outputs(var s): s.layout(body: body); self = .outputs(s)
        case .heads(var s): s.layout(body: body); self = .heads(s)
        case .coldStart(var s): s.layout(body: body); self = .coldStart(s)
        }
    }

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        switch self {
        case .users(let s): s.draw(&canvas, body: body, app)
        case .user(let s): s.draw(&canvas, body: body, app)
        case .run(let s): s.draw(&canvas, body: body, app)
        case .training(let s): s.draw(&canvas, body: body, app)
        case .results(let s): s.draw(&canvas, body: body, app)
        case .question(let s): s.draw(&canvas, body: body, app)
        case .outputs(let s): s.draw(&canvas, body: body, app)
        case .heads(let s): s.draw(&canvas, body: body, app)
        case .coldStart(let s): s.draw(&canvas, body: body, app)
        }
    }
}
