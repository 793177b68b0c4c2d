import WorkbenchAPI

/// The what-if flow: edit a user's history, price and run a re-fit, keep it, draw the cold start
/// curve, export the report. One what-if job runs at a time, owned by the app.
extension AppModel {
    /// Refuses an edit of `userID` while a job reads that user's history.
    private mutating func editable(_ userID: String) -> Bool {
        if let job = whatIf.job, job.kind.userID == userID {
            setError("\(job.kind.label) is running: edits wait until it ends (x stops it)")
            return false
        }
        return true
    }

    private mutating func changeEdit(_ userID: String, _ change: (inout HistoryEdit) -> Void) {
        var history = whatIf.edits[userID] ?? EditHistory()
        var edit = history.current
        change(&edit)
        history.apply(edit)
        whatIf.edits[userID] = history
        if whatIf.plan?.plan.userID == userID { whatIf.plan = nil }
    }

    /// Takes `ids` out of the history, or puts them back when all of them are out.
    mutating func toggleItems(_ userID: String, _ ids: [String]) {
        guard editable(userID), let user = user(userID), !ids.isEmpty else { return }
        let allOut = ids.allSatisfy { whatIf.edit(of: userID).removed.contains($0) }
        changeEdit(userID) { edit in
            if allOut { edit.removed.subtract(ids) } else { edit.removed.formUnion(ids) }
        }
        let kept = user.profile.count - whatIf.edit(of: userID).removed.count + whatIf.edit(of: userID).added.count
        setInfo("\(allOut ? "put back" : "took out") \(ids.count) item\(ids.count == 1 ? "" : "s") · history now \(kept) items · F re-fits · u undoes")
    }

    /// `:exclude` / `:include` with `N`, `N-M` or `FIELD=VALUE`.
    mutating func selectItems(_ userID: String, _ argument: String, include: Bool) {
        guard editable(userID), let user = user(userID) else { return }
        switch WhatIfSyntax.select(argument, in: user.profile) {
        case .failure(let error):
            setError(":\(include ? "include" : "exclude") \(error.message)")
        case .success(let ids):
            changeEdit(userID) { edit in
                if include { edit.removed.subtract(ids) } else { edit.removed.formUnion(ids) }
            }
            setInfo("\(include ? "put back" : "took out") \(ids.count) item\(ids.count == 1 ? "" : "s") · F re-fits")
        }
    }

    /// `:add-item FIELD=TEXT …`: an item written in place.
    mutating func addItem(_ userID: String, _ argument: String) {
        guard editable(userID), let task else { return }
        let id = "new-\(whatIf.edit(of: userID).added.count + 1)"
        switch WhatIfSyntax.newItem(argument, fields: task.profileFields, id: id) {
        case .failure(let error): setError(":add-item: " + error.message)
        case .success(let item):
            changeEdit(userID) { $0.added.append(item) }
            setInfo("added \(id) · F re-fits · u undoes")
        }
    }

    mutating func undoEdit(_ userID: String, redo: Bool) {
        guard editable(userID) else { return }
        var history = whatIf.edits[userID] ?? EditHistory()
        let changed = redo ? history.redo() : history.undo()
        whatIf.edits[userID] = history
        if changed, whatIf.plan?.plan.userID == userID { whatIf.plan = nil }
        setInfo(changed ? "\(redo ? "redid" : "undid") · edit \(history.current.summary)" : "nothing to \(redo ? "redo" : "undo")")
    }

    private mutating func startWhatIf(_ job: Job, _ kind: WhatIfJob) -> [Command] {
        if let running = whatIf.job {
            setError("\(running.kind.label) is running; one what-if job at a time (x stops it)")
            return []
        }
        let (id, command) = jobs.start(job, label: kind.label)
        whatIf.job = (id, kind)
        setInfo(kind.label + "…")
        return [command]
    }

    /// `F` / `:refit`: prices the re-fit first; the same key again starts it.
    mutating func refit(_ userID: String) -> [Command] {
        guard let user = user(userID) else { return [] }
        guard user.hasHeads || run.report != nil else {
            setError("the session has no trained heads yet: r runs HYDRA first")
            return []
        }
        let edit = whatIf.edit(of: userID)
        if let pending = whatIf.plan, pending.plan.userID == userID, pending.edit == edit {
            whatIf.plan = nil
            return startWhatIf(.refit(userID: userID, edit: edit), .refit(userID: userID, edit: edit))
        }
        return startWhatIf(.refitPlan(userID: userID, edit: edit), .plan(userID: userID, edit: edit))
    }

    mutating func keepRefit(_ userID: String) -> [Command] {
        guard whatIf.refits[userID] != nil else {
            setError("no re-fit of \(userID) to keep: F re-fits first")
            return []
        }
        return startWhatIf(.keepRefit(userID: userID), .keep(userID: userID))
    }

    /// The cold start curve of `userIDs` (empty: every evaluation user).
    mutating func coldStart(_ userIDs: [String]) -> [Command] {
        let key = userIDs.count == 1 ? userIDs[0] : "eval users"
        return startWhatIf(.coldStart(userIDs: userIDs, sizes: [5, 10, 20, 40], seeds: 3), .coldStart(key: key))
    }

    mutating func exportReport(_ userID: String, directory: String) -> [Command] {
        guard !directory.isEmpty else {
            setError(":export-report needs a directory")
            return []
        }
        return startWhatIf(
            .exportReport(userID: userID, directory: directory, coldStart: whatIf.coldStarts[userID]), .export(userID: userID))
    }

    /// Stops the what-if job; false when none runs.
    mutating func cancelWhatIf() -> [Command]? {
        guard let job = whatIf.job else { return nil }
        setInfo("stopping \(job.kind.label)…")
        return [.cancel(job.id)]
    }

    /// A batch of the what-if job.
    mutating func receiveWhatIf(_ batch: JobBatch) {
        guard let (_, kind) = whatIf.job else { return }
        if let (_, label) = batch.progress, batch.end == nil { setInfo(label) }
        if !batch.losses.isEmpty, case .refit(let userID, _) = kind {
            // a re-fit's curves sit beside the run's, named apart
            let number = whatIf.refitCount[userID, default: 0] + 1
            let renamed = batch.losses.map { point in
                var point = point
                point.series = LossSeriesID(model: point.series.model, userID: "\(userID) re-fit \(number)")
                return point
            }
            run.losses.add(renamed, at: now)
        }
        guard let end = batch.end else { return }
        whatIf.job = nil
        switch end {
        case .result(.refitPlan(let plan)):
            guard case .plan(_, let edit) = kind else { return }
            whatIf.plan = (plan, edit)
            setInfo("re-fit \(plan.userID) on \(plan.historySize) items: \(plan.pseudoQueries) pseudo-queries, "
                + "\(plan.llmCalls) LLM calls, \(plan.newLLMCalls) not cached · F again starts it")
        case .result(.refit(let report)):
            whatIf.refits[report.userID] = report
            whatIf.refitCount[report.userID, default: 0] += 1
            dataVersion += 1
            setInfo("re-fit of \(report.userID) done in \(fixed(report.seconds, 1)) s · Δ \(signedOrDash(report.deltaBefore)) → \(signedOrDash(report.deltaAfter))"
                + " · b flips before/after · :keep-refit saves it")
        case .result(.keptRefit(let userID)):
            setInfo("saved \(userID)'s re-fit as the run's heads")
        case .result(.coldStart(let report)):
            if case .coldStart(let key) = kind { whatIf.coldStarts[key] = report }
            dataVersion += 1
            setInfo("cold start curve done in \(fixed(report.seconds, 0)) s (\(report.newLLMCalls) new LLM calls)")
            navigate(to: .coldStart(report.userIDs.count == 1 ? report.userIDs[0] : "eval users"))
        case .result(.reportWritten(let files)):
            setInfo("wrote " + (files.first ?? "the report") + (files.count > 1 ? " and \(files.count - 1) charts" : ""))
        case .failed(let message):
            setError("\(kind.label) failed: \(message)" + (kind.userID.map { _ in " (the run's heads are unchanged)" } ?? ""))
        case .cancelled:
            setInfo("\(kind.label): stopped")
        case .result:
            break
        }
    }
}

/// `+0.125`, or `–` for nil.
func signedOrDash(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "–" }
    return signed(value)
}
