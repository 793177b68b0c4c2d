import LLMInterface

/// Continuous batching over one model state, as vLLM's and llama.cpp server's schedulers do: every
/// `step()` is one forward pass holding a row for each decoding sample stream of every request,
/// the answer tokens of constrained choices whose prompt is done, and chunks of the prompts still
/// being processed. A request joins at the next step and leaves when it ends, is cancelled or
/// fails, without disturbing the others.
///
/// Memory is bounded: a request is admitted only when its worst case (prompt plus every token it
/// may generate) fits in `positionBudget` beside the admitted ones; otherwise it waits (a request
/// alone is always admitted, so a large one cannot wait forever).
///
/// Not thread-safe: one thread owns an engine (`BatchScheduler`'s, or the caller's in
/// `Generator`'s synchronous calls).
public final class BatchEngine {
    let model: LlamaModel
    let tokenizer: BPETokenizer
    let state: LlamaState
    /// KV positions the admitted requests may reserve together.
    public let positionBudget: Int
    /// Prompt rows per step while samples are decoding: a long prompt joining the batch delays the
    /// others' next token by one chunk, not by the whole prompt.
    static let prefillRowsWhileDecoding = 128

    private var waiting: [BatchRequest] = []
    private var active: [BatchRequest] = []
    private var prefixes: PromptPrefixCache
    /// Prompt positions copied from earlier prompts instead of computed.
    public private(set) var reusedPromptTokens = 0

    /// - Parameters:
    ///   - positionBudget: KV positions for all admitted requests (46 KB each for SmolLM2-135M).
    ///   - prefixCachePositions: Positions of recent prompts kept for prefix reuse (0 turns it off).
    public init(model: LlamaModel, tokenizer: BPETokenizer, state: LlamaState, positionBudget: Int = 2048,
                prefixCachePositions: Int = 512) {
        self.model = model
        self.tokenizer = tokenizer
        self.state = state
        self.positionBudget = positionBudget
        prefixes = PromptPrefixCache(capacity: prefixCachePositions)
    }

    /// Requests admitted or waiting.
    public var hasWork: Bool { !waiting.isEmpty || !active.isEmpty }

    /// Requests in the batch and waiting to join it.
    public var occupancy: (active: Int, waiting: Int) { (active.count, waiting.count) }

    /// Adds a request; it joins the batch at a step when the budget allows.
    func submit(_ request: BatchRequest) { waiting.append(request) }

    /// Ends every request with `LLMError.cancelled` (the runtime is going away).
    func cancelAll() {
        for r in waiting { r.finish(.failure(LLMError.cancelled)) }
        waiting = []
        for r in active { end(r, .failure(LLMError.cancelled)) }
    }

    /// Runs `work` after `promptTokens` alone to the end (the synchronous path of `Generator`).
    func runAlone(promptTokens: [Int], work: BatchWork, onToken: ((Int, Int) -> Bool)?) throws -> BatchOutput {
        var result: Result<BatchOutput, Error>?
        submit(BatchRequest(promptTokens: promptTokens, work: work, onToken: onToken, isCancelled: { false },
                            finish: { result = $0 }))
        while result == nil && hasWork { step() }
        guard let result else { throw LLMError.cancelled }
        return try result.get()
    }

    // MARK: - One step

    /// A stream of this step's forward pass: whose cache it is.
    private enum Owner {
        case prompt(BatchRequest)
        case sample(BatchRequest, Int)
        case answer(BatchRequest, Int)
    }

    /// What a logit row of this step is for.
    private enum LogitUse {
        case promptEnd(BatchRequest)
        case sample(BatchRequest, Int)
        /// Predicts token `token` of an answer.
        case answerToken(BatchRequest, answer: Int, token: Int)
    }

    /// One forward pass over the batch, then sampling and scoring; requests that end are finished.
    public func step() {
        dropCancelled()
        admit()
        guard !active.isEmpty else { return }

        var tokens: [Int] = []
        var rowStreams: [Int] = []
        var caches: [KVCache] = []
        var prefixList: [KVCache?] = []
        var owners: [Owner] = []
        var logitRows: [Int] = []
        var uses: [LogitUse] = []
        let empty = KVCache.empty
        func addStream(_ cache: KVCache, prefix: KVCache?, owner: Owner) -> Int {
            caches.append(cache)
            prefixList.append(prefix)
            owners.append(owner)
            return caches.count - 1
        }
        func addRow(_ token: Int, stream: Int, use: LogitUse?) {
            if let use {
                logitRows.append(tokens.count)
                uses.append(use)
            }
            tokens.append(token)
            rowStreams.append(stream)
        }

        // decoding streams first: one row each (the cache moves into the pass, so writes do not copy)
        for r in active where r.phase == .decoding {
            for j in r.liveStreams {
                let s = addStream(r.streamCaches[j], prefix: r.prompt, owner: .sample(r, j))
                r.streamCaches[j] = empty
                addRow(r.texts[j].tokens.last ?? 0, stream: s, use: .sample(r, j))
            }
        }
        // answers of constrained choices, whole answers while they fit
        for r in active where r.phase == .scoringAnswers {
            guard case .choose(let answers) = r.work else { continue }
            while r.nextAnswer < answers.count {
                let answer = answers[r.nextAnswer]
                let rows = answer.count - 1
                guard tokens.count + rows <= state.maxRows || tokens.isEmpty else { break }
                if rows > 0 {
                    let s = addStream(model.makeCache(capacity: rows), prefix: r.prompt, owner: .answer(r, r.nextAnswer))
                    for t in 0..<rows { addRow(answer[t], stream: s, use: .answerToken(r, answer: r.nextAnswer, token: answer[t + 1])) }
                }
                r.nextAnswer += 1
            }
        }
        // prompt chunks with the rows left
        let decoding = active.contains { $0.phase == .decoding }
        let prefillLimit = min(state.maxRows, tokens.count + (decoding ? Self.prefillRowsWhileDecoding : state.maxRows))
        for r in active where r.phase == .prefilling && tokens.count < prefillLimit {
            let start = r.prompt.count
            var end = min(r.promptTokens.count, start + prefillLimit - tokens.count)
            // chunks end on block boundaries, so each block of the prompt holds the same rows
            // whatever else shares the pass (see `alignedReuse`)
            if end < r.promptTokens.count { end -= end % LlamaState.attentionBlockRows }
            guard end > start else { continue }
            let s = addStream(r.prompt, prefix: nil, owner: .prompt(r))
            r.prompt = empty
            for i in start..<end { addRow(r.promptTokens[i], stream: s, use: i == r.promptTokens.count - 1 ? .promptEnd(r) : nil) }
        }

        // logits are used as they come out: answers keep one number per row, samples their row
        var sampled: [BatchRequest] = []
        var failure: Error?
        if !tokens.isEmpty {
            // a step that reads given tokens (prompts, answers) counts as prefill, else as decode
            let phase: ForwardTimings.Phase = owners.contains { if case .sample = $0 { false } else { true } }
                ? .prefill : .decode
            do {
                try state.timings.measure(phase) {
                    try model.forward(tokens: tokens, streams: rowStreams, caches: &caches, prefixes: prefixList,
                                      state: state, logitRows: logitRows) { i, rowLogits in
                        switch uses[i] {
                        case .promptEnd(let r):
                            r.promptLogits = Array(rowLogits)
                        case .sample(let r, let j):
                            r.logits[j] = Array(rowLogits)
                            if sampled.last !== r { sampled.append(r) }
                        case .answerToken(let r, let answer, let token):
                            r.scores[answer] += logProbability(of: token, rowLogits)
                        }
                    }
                }
            } catch {
                failure = error
            }
        }
        // caches back to their owners
        for (i, owner) in owners.enumerated() {
            switch owner {
            case .prompt(let r): r.prompt = caches[i]
            case .sample(let r, let j): r.streamCaches[j] = caches[i]
            case .answer: break
            }
        }
        if let failure {
            let involved = owners.map { owner -> BatchRequest in
                switch owner { case .prompt(let r), .sample(let r, _), .answer(let r, _): r }
            }
            for r in involved where active.contains(where: { $0 === r }) { end(r, .failure(failure)) }
            return
        }

        for case .promptEnd(let r) in uses {
            promptDone(r)
            if r.phase == .decoding { sampled.append(r) }
        }
        for r in sampled where active.contains(where: { $0 === r }) { sampleNext(r) }
        for r in active where r.phase == .scoringAnswers {
            guard case .choose(let answers) = r.work, r.nextAnswer == answers.count else { continue }
            end(r, .success(.choice(r.scores)))
        }
    }

    // MARK: - Joining and leaving

    private func dropCancelled() {
        for r in waiting where r.isCancelled() { r.finish(.failure(LLMError.cancelled)) }
        waiting.removeAll { $0.isCancelled() }
        for r in active where r.isCancelled() { end(r, .failure(LLMError.cancelled)) }
    }

    /// Admits waiting requests in arrival order while their worst case fits in the budget and
    /// their sample streams fit in a step's rows. A request whose prompt starts like one still
    /// being processed waits for it, to start from its cache rather than compute the same start
    /// twice side by side.
    private func admit() {
        var reserved = active.reduce(0) { $0 + $1.reservedPositions }
        var streams = active.reduce(0) { $0 + $1.streamCount }
        var index = 0
        while index < waiting.count {
            let r = waiting[index]
            let fits = reserved + r.reservedPositions <= positionBudget && streams + r.streamCount <= state.maxRows / 2
            guard active.isEmpty || fits else { break }
            if !active.isEmpty && waitsForSharedStart(r) {
                index += 1
                continue
            }
            waiting.remove(at: index)
            do {
                try start(r)
                active.append(r)
                reserved += r.reservedPositions
                streams += r.streamCount
            } catch {
                r.finish(.failure(error))
            }
        }
    }

    /// Whether a prompt being processed shares a longer start with `r`'s prompt than the prefix
    /// cache offers, by more than `Self.worthWaiting` tokens.
    private func waitsForSharedStart(_ r: BatchRequest) -> Bool {
        let limit = r.promptTokens.count - 1
        let cached = prefixes.longestMatch(r.promptTokens, limit: limit)?.count ?? 0
        return active.contains { other in
            other.phase == .prefilling
                && min(limit, commonPrefixLength(other.promptTokens, r.promptTokens)) >= cached + Self.worthWaiting
        }
    }

    /// The positions of a shared start that are reused: whole blocks of
    /// `LlamaState.attentionBlockRows` from the first position. The attention kernel's arithmetic
    /// for a row depends on the block it is computed in (with int8 products a last-bit difference
    /// moves an activation across a rounding step, which shifts logits by hundredths and flips
    /// near-ties), so a prompt is always computed in the same blocks: reused ones were computed
    /// in the same blocks by the earlier prompt, and chunks end on block boundaries too. Then a
    /// seeded request gives the same answer whatever the engine computed before or beside it.
    static func alignedReuse(_ shared: Int) -> Int {
        shared - shared % LlamaState.attentionBlockRows
    }

    /// Shared prompt tokens for which a request waits a few steps rather than computing them.
    static let worthWaiting = 32

    /// Checks a request before it joins and gives it a prompt cache, starting from the longest
    /// matching start of a recent prompt.
    private func start(_ r: BatchRequest) throws {
        guard !r.promptTokens.isEmpty else { throw LLMError.emptyPrompt }
        let following: Int
        switch r.work {
        case .generate(let parameters, let n, _):
            try parameters.validate()
            guard n > 0 else { throw LLMError.invalidParameter(name: "n", value: "\(n)") }
            guard n <= state.maxRows else { throw LLMError.invalidParameter(name: "n", value: "\(n) > \(state.maxRows)") }
            following = parameters.maxTokens
        case .choose(let answers):
            if let emptyAnswer = answers.firstIndex(where: { $0.isEmpty }) {
                throw LLMError.invalidParameter(name: "options[\(emptyAnswer)]", value: "an empty answer")
            }
            let longest = answers.map(\.count).max() ?? 0
            if longest - 1 > state.maxRows { throw LLMError.contextFull(needed: longest - 1, capacity: state.maxRows) }
            // the last token of an answer is scored but never fed back, so it needs no position
            following = max(0, longest - 1)
        }
        try ContextLengthExceeded.check(promptTokens: r.promptTokens.count, followingTokens: following,
                                        contextLength: state.maxContext)
        let count = r.promptTokens.count
        // the last prompt token is always computed: its logits start the answer
        if let match = prefixes.longestMatch(r.promptTokens, limit: count - 1), Self.alignedReuse(match.count) > 0 {
            let reused = Self.alignedReuse(match.count)
            r.prompt = KVCache(copyingPrefixOf: match.cache, count: reused, capacity: count)
            reusedPromptTokens += reused
        } else {
            r.prompt = model.makeCache(capacity: count)
        }
        r.phase = .prefilling
    }

    /// The prompt is processed: samples start decoding, answers start scoring.
    private func promptDone(_ r: BatchRequest) {
        prefixes.insert(r.promptTokens, cache: r.prompt)
        switch r.work {
        case .generate(let parameters, let n, _):
            r.samplers = (0..<n).map { Sampler(parameters: parameters, stream: $0) }
            r.texts = Array(repeating: StreamText(), count: n)
            r.finished = Array(repeating: parameters.maxTokens == 0 ? .length : nil, count: n)
            // each stream's own cache starts small and grows, so memory follows the tokens generated
            r.streamCaches = Array(repeating: model.makeCache(capacity: min(parameters.maxTokens, 64)), count: n)
            r.logits = Array(repeating: r.promptLogits, count: n)
            r.recorded = Array(repeating: [], count: n)
            r.phase = .decoding
        case .choose(let answers):
            let first = logSoftmax(r.promptLogits)
            r.scores = answers.map { first[$0[0]] }
            r.nextAnswer = 0
            r.phase = .scoringAnswers
        }
    }

    /// Samples one token for each live stream (run.c's loop: sample, stop, decode, emit) and ends
    /// the request when every stream is done.
    private func sampleNext(_ r: BatchRequest) {
        guard case .generate(let parameters, let n, let topLogits) = r.work else { return }
        for j in r.liveStreams {
            if topLogits > 0 { r.recorded[j].append(TokenLogit.top(topLogits, of: r.logits[j])) }
            let token = r.samplers[j].sample(r.logits[j])
            if tokenizer.endOfGenerationIDs.contains(token) {
                r.finished[j] = .endOfGeneration
                continue
            }
            r.texts[j].append(token, tokenizer.bytes(of: token))
            if r.texts[j].cutAtStop(parameters.stop) {
                r.finished[j] = .stop
                continue
            }
            if let onToken = r.onToken, !onToken(j, token) { return end(r, .failure(LLMError.cancelled)) }
            if r.texts[j].tokens.count >= parameters.maxTokens { r.finished[j] = .length }
        }
        guard r.liveStreams.isEmpty else { return }
        let samples = (0..<n).map {
            GeneratedSample(tokens: r.texts[$0].tokens, text: r.texts[$0].text, finishReason: r.finished[$0] ?? .length,
                            topLogits: r.recorded[$0])
        }
        end(r, .success(.samples(samples)))
    }

    /// Takes a request out of the batch and reports how it ended.
    private func end(_ r: BatchRequest, _ result: Result<BatchOutput, Error>) {
        active.removeAll { $0 === r }
        // its caches go now, not when the caller lets go of the request
        r.streamCaches = []
        r.prompt = .empty
        r.finish(result)
    }
}

extension BatchRequest {
    /// Rows the request adds to every decoding step.
    var streamCount: Int {
        if case .generate(_, let n, _) = work { return n }
        return 0
    }
}
