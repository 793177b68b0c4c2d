import WorkbenchAPI

/// The commands to run when the app starts: load the session.
public func start(_ m: inout AppModel) -> [Command] {
    let (id, command) = m.jobs.start(.loadSession, label: "loading session")
    m.loadJob = id
    m.session = .loading(fraction: 0, label: "starting")
    return [command, .applyTheme(m.theme)]
}

/// The workbench's update: changes the model in place for a message and returns the work to
/// start. It never performs I/O itself; that is what the returned ``Command``s are for.
@discardableResult
public func update(_ m: inout AppModel, _ msg: Msg) -> [Command] {
    let version = m.dataVersion
    var commands: [Command]
    switch msg {
    case .key(let key): commands = handleKey(&m, key)
    case .mouse(let event): commands = handleMouse(&m, event)
    case .resize(let size):
        m.size = size
        commands = []
    case .tick(let now):
        m.now = max(m.now, now)
        m.ticks += 1
        commands = []
    case .job(let id, let batch, let at):
        m.now = max(m.now, at)
        commands = receive(&m, id, batch)
    case .wrote(let path, let error):
        if let error { m.setError("could not write \(path): \(error)") } else { m.setInfo("wrote \(path)") }
        commands = []
    }
    commands += applyNavigation(&m)
    if m.dataVersion != version {
        for i in m.stack.indices { m.stack[i].refresh(m) }
    }
    if !m.isTooSmall, !m.stack.isEmpty { m.stack[m.stack.count - 1].layout(body: m.body) }
    return commands
}

/// Applies a batch of one job: the session load and the run are the app's; anything else goes
/// to the screen that owns it, or is dropped when that screen is gone.
func receive(_ m: inout AppModel, _ id: JobID, _ batch: JobBatch) -> [Command] {
    guard let job = m.jobs[id] else { return [] }
    if batch.end != nil { m.jobs.finish(id) }
    if id == m.loadJob { return receiveLoad(&m, batch) }
    if id == m.run.job { return receiveRun(&m, batch) }
    if id == m.whatIf.job?.id {
        m.receiveWhatIf(batch)
        return []
    }
    guard let owner = job.owner, let index = m.stack.lastIndex(where: { $0.route == owner }) else { return [] }
    var screen = m.stack.remove(at: index)
    let commands = screen.receive(batch, from: id, &m)
    m.stack.insert(screen, at: index)
    return commands
}

func receiveLoad(_ m: inout AppModel, _ batch: JobBatch) -> [Command] {
    if let (fraction, label) = batch.progress { m.session = .loading(fraction: min(max(fraction, 0), 1), label: label) }
    switch batch.end {
    case .result(.session(let snapshot)):
        m.loadJob = nil
        m.session = .loaded
        if let saved = snapshot.savedRun {
            m.run.report = saved
            m.run.status = .finished(saved: true)
        }
        m.run.losses.load(snapshot.savedLosses)
        m.setSnapshot(snapshot)
        if !m.statusIsError {
            m.setInfo("loaded \(snapshot.users.count) users" + (snapshot.savedRun == nil ? " · r runs HYDRA" : " · results of the last run: 4"))
        }
    case .failed(let message):
        m.loadJob = nil
        m.session = .failed(message)
        m.setError("loading failed: \(message)")
    case .cancelled:
        m.loadJob = nil
    case .result, nil:
        break
    }
    return []
}

func receiveRun(_ m: inout AppModel, _ batch: JobBatch) -> [Command] {
    for update in batch.stages { m.run.apply(update, at: m.now) }
    m.run.losses.add(batch.losses, at: m.now)
    for note in batch.notes { m.run.note(note) }
    if let last = batch.notes.last, batch.end == nil { m.setInfo(last) }
    switch batch.end {
    case .result(.run(let report, let users)):
        m.run.job = nil
        m.run.report = report
        m.run.status = .finished(saved: false)
        m.updateUsers(users)
        m.setInfo("run finished · 4 shows the results")
    case .failed(let message):
        m.run.job = nil
        m.run.status = .failed(message)
        let stage = m.run.current.map { " in \($0.rawValue)" } ?? ""
        m.setError("run failed\(stage): \(message) · r resumes from the store")
    case .cancelled:
        m.run.job = nil
        m.run.status = .cancelled
        m.setInfo("run stopped · r resumes (finished work is kept in the store)")
    case .result, nil:
        break
    }
    return []
}

// MARK: - Navigation

func applyNavigation(_ m: inout AppModel) -> [Command] {
    var commands: [Command] = []
    while !m.pendingNavigation.isEmpty {
        let step = m.pendingNavigation.removeFirst()
        switch step {
        case .pop:
            if m.stack.count > 1 { commands += close(&m, m.stack.removeLast()) }
        case .replaceTop(let route):
            if m.stack.count > 1 { commands += close(&m, m.stack.removeLast()) }
            m.pendingNavigation.insert(.push(route), at: 0)
        case .push(let route), .replaceAll(let route):
            if case .replaceAll = step {
                while m.stack.count > 1 { commands += close(&m, m.stack.removeLast()) }
            }
            if m.route == route { continue }
            // a screen already on the stack is returned to rather than opened twice
            if let existing = m.stack.lastIndex(where: { $0.route == route }) {
                while m.stack.count > existing + 1 { commands += close(&m, m.stack.removeLast()) }
                continue
            }
            let (screen, starting) = ScreenState.make(route, &m)
            m.stack.append(screen)
            commands += starting
        }
    }
    return commands
}

/// Cancels the jobs a closing screen owned: their results would be dropped anyway.
func close(_ m: inout AppModel, _ screen: ScreenState) -> [Command] {
    let owned = m.jobs.running.filter { $0.value.owner == screen.route && !m.stack.contains(where: { $0.route == screen.route }) }
    return owned.keys.sorted().compactMap { m.jobs.cancel($0) }
}

// MARK: - Keys

func handleKey(_ m: inout AppModel, _ key: Key) -> [Command] {
    switch m.overlay {
    case .confirmQuit:
        switch key {
        case .char("y"), .char("Y"), .enter, .ctrl("c"): return quitNow(&m)
        default:
            m.overlay = nil
            return []
        }
    case .help(let filter, let selected):
        return handleHelpKey(&m, key, filter: filter, selected: selected)
    case nil:
        break
    }
    if m.commandLine != nil { return editCommandLine(&m, key) }
    if !m.stack.isEmpty, case .users(var screen) = m.stack[m.stack.count - 1], screen.filterEditing {
        screen.editFilter(key, m)
        m.stack[m.stack.count - 1] = .users(screen)
        return []
    }
    if !m.stack.isEmpty, case .heads(var screen) = m.stack[m.stack.count - 1], screen.filterEditing {
        screen.editFilter(key)
        m.stack[m.stack.count - 1] = .heads(screen)
        return []
    }
    let scope = m.snapshot == nil ? nil : m.stack.last?.scope
    guard let action = m.keys.action(for: key, in: scope) else { return [] }
    return perform(&m, action)
}

/// Applies an action: the app's own, or the top screen's.
public func perform(_ m: inout AppModel, _ action: Action) -> [Command] {
    switch action {
    case .quit:
        if m.jobs.isEmpty { return quitNow(&m) }
        m.overlay = .confirmQuit
    case .forceQuit:
        return quitNow(&m)
    case .help:
        m.overlay = .help(filter: "", selected: 0)
    case .commandLine:
        m.commandLine = CommandLineState()
    case .nextTheme:
        m.themeIndex = (m.themeIndex + 1) % m.themes.count
        m.setInfo("theme: \(m.theme.name)")
        return [.applyTheme(m.theme)]
    case .runPipeline:
        return startRun(&m)
    case .cancelRun:
        return cancelRun(&m)
    case .showUsers: m.pendingNavigation.append(.replaceAll(.users))
    case .showRun: m.navigate(to: .run)
    case .showTraining: m.navigate(to: .training)
    case .showResults: m.navigate(to: .results)
    case .showHeads:
        guard m.snapshot != nil else { return [] }
        m.navigate(to: .heads)
    case .refit, .keepRefit, .coldStart:
        guard m.snapshot != nil else { return [] }
        guard let userID = m.currentUserID else {
            if action == .coldStart { return m.coldStart([]) }
            m.setError("open a user first (the user screen, or a row of :heads)")
            return []
        }
        switch action {
        case .refit: return m.refit(userID)
        case .keepRefit: return m.keepRefit(userID)
        default: return m.coldStart([userID])
        }
    case .back where m.stack.count > 1:
        m.goBack()
    default:
        guard m.snapshot != nil, !m.stack.isEmpty else { return [] }
        var screen = m.stack.removeLast()
        let commands = screen.perform(action, &m)
        m.stack.append(screen)
        return commands
    }
    return []
}

func startRun(_ m: inout AppModel) -> [Command] {
    guard m.snapshot != nil else {
        m.setError("the session is not loaded yet")
        return []
    }
    m.navigate(to: .run)
    if m.run.isRunning {
        m.setInfo("a run is already running (x stops it)")
        return []
    }
    let (id, command) = m.jobs.start(.runPipeline, label: "running HYDRA")
    let keptLosses = m.run.losses
    m.run = RunState()
    // a resumed run reuses trained weights and reports no steps for them; keep the old curves
    m.run.losses = keptLosses.curves.isEmpty ? LossHistory() : keptLosses
    m.run.status = .running
    m.run.job = id
    m.run.startedAt = m.now
    m.setInfo("running HYDRA · x stops · 3 shows the loss")
    return [command]
}

func cancelRun(_ m: inout AppModel) -> [Command] {
    guard let id = m.run.job, m.run.isRunning else {
        if let cancel = m.cancelWhatIf() { return cancel }
        m.setInfo("no run is running")
        return []
    }
    m.setInfo("stopping the run at its next LLM call or training step…")
    // the job stays registered until its `cancelled` end arrives, so the store is consistent
    return [.cancel(id)]
}

func quitNow(_ m: inout AppModel) -> [Command] {
    m.overlay = nil
    m.quitting = true
    let cancels = m.jobs.running.keys.sorted().compactMap { m.jobs.cancel($0) }
    return cancels + [.quit]
}

// MARK: - Mouse

func handleMouse(_ m: inout AppModel, _ event: MouseEvent) -> [Command] {
    guard m.overlay == nil, m.commandLine == nil, m.snapshot != nil, !m.isTooSmall, !m.stack.isEmpty else { return [] }
    var screen = m.stack.removeLast()
    let commands = screen.mouse(event, body: m.body, &m)
    m.stack.append(screen)
    return commands
}
