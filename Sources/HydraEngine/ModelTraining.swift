import Basics
import Encoder
import Foundation
import LaMP
import Numerics
import SessionStore
import Training

/// Feature rows per user for both scorers.
public struct ExampleSets: Sendable {
    public var reranker: [UserExamples]
    public var adapter: [UserExamples]
}

extension HydraPipeline {
    /// The feature width of both scorers.
    var featureWidth: Int { PairFeatures.width(dimension: encoder.dimension) }

    /// Embeddings of `texts` through the cache (and its store), in chunks with progress.
    func embed(_ texts: [String], stage: HydraStage? = nil, events: EngineEventHandler? = nil) throws -> [String: [Float]] {
        var unique: [String] = []
        var seen = Set<String>()
        for t in texts where seen.insert(t).inserted { unique.append(t) }
        var out: [String: [Float]] = [:]
        let chunk = 128
        for start in stride(from: 0, to: unique.count, by: chunk) {
            try Task.checkCancellation()
            let part = Array(unique[start..<min(start + chunk, unique.count)])
            for (t, v) in zip(part, try embeddings.encode(part, with: encoder)) { out[t] = v }
            if let stage { events?(.stageProgress(stage, done: min(start + chunk, unique.count), total: unique.count)) }
        }
        return out
    }

    /// The reranker's features for a query's hits.
    func rerankerFeatures(query: [Float], hits: [(vector: [Float], score: Double)]) -> [Float] {
        let best = max(hits.map(\.score).max() ?? 1, 1e-9)
        var rows: [Float] = []
        rows.reserveCapacity(hits.count * featureWidth)
        for (rank, hit) in hits.enumerated() {
            PairFeatures.append(
                u: query, v: hit.vector, scalars: [Float(hit.score / best), Float(rank) / Float(max(1, config.retrieval.k))], to: &rows)
        }
        return rows
    }

    /// The adapter's features for candidates.
    func adapterFeatures(query: [Float], candidates: [(vector: [Float], candidate: Candidate)]) -> [Float] {
        var rows: [Float] = []
        for c in candidates {
            PairFeatures.append(u: query, v: c.vector, scalars: [c.candidate.voteShare, c.candidate.probability], to: &rows)
        }
        return rows
    }

    /// Feature rows and labels per user from the labelled cases, the adapter's labelled by
    /// `scheme` (listwise: with a group per case).
    func buildExamples(
        _ labelled: [LabelledCase], users: [String: EngineUser], scheme: AdapterLabels, events: EngineEventHandler?
    ) throws -> ExampleSets {
        let listwise = scheme == .listwise && config.task.family == .generation
        let adapterExamples = labelled.map { $0.adapterExamples(scheme, n: config.sampling.n) }
        var texts: [String] = []
        for (c, examples) in zip(labelled, adapterExamples) {
            guard let user = users[c.query.userID] else { continue }
            texts.append(LaMPRetrievalText.query(task: config.task, input: c.query.input))
            if c.query.labelsItems {
                texts += c.query.hits.map { CaseBuilder.itemText(user.profile[$0.index], task: config.task) }
            }
            texts += examples.map(\.candidate.text)
        }
        let vectors = try embed(texts, stage: .embed, events: events)
        var rerank: [String: (rows: [Float], labels: [Int], groups: [Int])] = [:]
        var adapt: [String: (rows: [Float], labels: [Int], groups: [Int])] = [:]
        var order: [String] = []
        for (caseIndex, (c, examples)) in zip(labelled, adapterExamples).enumerated() {
            guard let user = users[c.query.userID] else { continue }
            if rerank[user.id] == nil && adapt[user.id] == nil { order.append(user.id) }
            let q = vectors[LaMPRetrievalText.query(task: config.task, input: c.query.input)] ?? []
            if c.query.labelsItems {
                let hits = c.query.hits.map { (vectors[CaseBuilder.itemText(user.profile[$0.index], task: config.task)] ?? [], $0.score) }
                rerank[user.id, default: ([], [], [])].rows += rerankerFeatures(query: q, hits: hits)
                rerank[user.id, default: ([], [], [])].labels += c.rerankerLabels
            }
            let cands = examples.map { (vectors[$0.candidate.text] ?? [], $0.candidate) }
            adapt[user.id, default: ([], [], [])].rows += adapterFeatures(query: q, candidates: cands)
            adapt[user.id, default: ([], [], [])].labels += examples.map(\.label)
            adapt[user.id, default: ([], [], [])].groups += Array(repeating: caseIndex, count: examples.count)
        }
        func make(_ table: [String: (rows: [Float], labels: [Int], groups: [Int])], grouped: Bool) throws -> [UserExamples] {
            try order.compactMap { id in
                guard let entry = table[id] else { return nil }
                let matrix = try Matrix(rows: entry.labels.count, cols: featureWidth, data: entry.rows)
                return try UserExamples(userID: id, features: matrix, labels: entry.labels, groups: grouped ? entry.groups : nil)
            }
        }
        return ExampleSets(reranker: try make(rerank, grouped: false), adapter: try make(adapt, grouped: listwise))
    }

    /// A fingerprint of what a model's weights depend on: the settings that shape them
    /// (`HydraConfig.weightsFingerprint`), the encoder, and every example.
    func fingerprint(_ name: String, _ examples: [UserExamples], extra: String) -> String {
        var h = Fingerprint()
        h.add(name)
        h.add(extra)
        h.add(encoder.id)
        h.add(config.weightsFingerprint)
        for user in examples {
            h.add(user.userID)
            for label in user.labels { h.add(UInt64(label)) }
            if let groups = user.groups { h.add("groups"); for g in groups { h.add(UInt64(g)) } }
            for x in user.features.data { h.add(UInt64(x.bitPattern)) }
        }
        return h.hex
    }

    /// The shared phase of one scorer on training users' examples (or its saved weights).
    func trainModel(
        _ name: String, examples: [UserExamples], settings: TrainingSettings? = nil, persist: Bool = true, events: EngineEventHandler?
    ) async throws -> FactorizedModel? {
        guard examples.contains(where: { !$0.labels.isEmpty }) else { return nil }
        let settings = settings ?? config.jointTrainingSettings
        guard persist else {
            let model = FactorizedModel(
                config: ModelConfig(inputSize: featureWidth, baseWidths: config.training.baseWidths), seed: config.sampling.seed)
            var trained = model
            try JointTraining.train(model: &trained, data: examples.filter { !$0.labels.isEmpty }, settings: settings)
            return trained
        }
        let key = fingerprint(name, examples, extra: "joint:\(settings.epochs):\(settings.learningRate)")
        if let saved = try loadSaved(name + "-joint", key: key, events: events) {
            events?(.note("\(name): reusing saved shared-phase weights"))
            return saved
        }
        let model = FactorizedModel(
            config: ModelConfig(inputSize: featureWidth, baseWidths: config.training.baseWidths), seed: config.sampling.seed)
        let data = examples.filter { !$0.labels.isEmpty }
        let (trained, losses) = try await consume(
            TrainingStream.joint(model: model, data: data, settings: settings), name: name, events: events)
        try save(trained, name: name + "-joint", key: key, losses: losses, examples: data)
        return trained
    }

    /// The fit phase: base frozen, one head per evaluation user from their own examples, with
    /// `setting`'s epochs and learning rate (the fit selection's choice; default `training.fit`).
    func fitModel(
        _ name: String, model: FactorizedModel, eval: [EngineUser], examples: [UserExamples], setting: FitSetting? = nil,
        events: EngineEventHandler?
    ) async throws -> FactorizedModel {
        let settings = config.fitTrainingSettings(setting)
        let byUser = Dictionary(examples.map { ($0.userID, $0) }, uniquingKeysWith: { a, _ in a })
        let users = try eval.map { user in
            try byUser[user.id] ?? UserExamples(userID: user.id, features: Matrix(rows: 0, cols: featureWidth), labels: [])
        }
        var base = Fingerprint()
        for byte in (try? Checkpoint.serialize(model)) ?? Data() { base.add(UInt64(byte)) }
        let key = fingerprint(name, users, extra: "fit:" + base.hex + ":\(settings.epochs):\(settings.learningRate)")
        if let saved = try loadSaved(name + "-fit", key: key, events: events), eval.allSatisfy({ saved.headIndex(of: $0.id) != nil }) {
            events?(.note("\(name): reusing saved fitted heads"))
            return saved
        }
        let (fitted, losses) = try await consume(
            TrainingStream.fit(model: model, users: users, settings: settings, initialization: config.training.fitInitialization),
            name: name, events: events)
        try save(fitted, name: name + "-fit", key: key, losses: losses, examples: examples)
        return fitted
    }

    private func consume(_ stream: AsyncThrowingStream<TrainingUpdate, Error>, name: String, events: EngineEventHandler?)
        async throws -> (FactorizedModel, [String: [Float]])
    {
        var losses: [String: [Float]] = [:]
        for try await update in stream {
            switch update {
            case .progress(let event):
                let phase = event.phase == .joint ? "\(name)/joint" : "\(name)/fit/\(event.phase.userID)"
                losses[phase, default: []].append(event.loss)
                events?(.training(model: name, event))
            case .finished(let model):
                return (model, losses)
            }
        }
        throw TrainingError.cancelled
    }

    /// The weights saved for exactly this key, if any. Each key has its own stored name
    /// (`reranker-joint@<key>`), so a run with other settings or data keeps its weights beside
    /// these; a store from before that kept one set per slot under the bare slot name, which is
    /// still reused when its key matches.
    private func loadSaved(_ name: String, key: String, events: EngineEventHandler?) throws -> FactorizedModel? {
        guard let store else { return nil }
        for stored in [Self.storedName(name, key: key), name] {
            guard let record = try store.weightsRecord(name: stored), record.metadata == key,
                let data = try store.loadWeights(name: stored), let model = try? Checkpoint.load(data: data).model
            else { continue }
            try store.markWeightsInUse(slot: name, name: stored)
            return model
        }
        if try store.weightsRecords().contains(where: { $0.name == name || $0.name.hasPrefix(name + "@") }) {
            events?(.note("\(name): no saved weights for these settings and data (other runs' are kept); training"))
        }
        return nil
    }

    private func save(_ model: FactorizedModel, name: String, key: String, losses: [String: [Float]], examples: [UserExamples]) throws {
        guard let store else { return }
        let stored = Self.storedName(name, key: key)
        try store.saveWeights(name: stored, data: try Checkpoint.serialize(model), metadata: key)
        try store.markWeightsInUse(slot: name, name: stored)
        try Self.saveExampleCounts(Dictionary(examples.map { ($0.userID, $0.labels.count) }, uniquingKeysWith: +), name: name, in: store)
        for (phase, values) in losses { try store.replaceLosses(phase: phase, losses: values) }
    }

    /// The store name of the weights of slot `name` trained under `key`.
    static func storedName(_ name: String, key: String) -> String { name + "@" + key }
}

extension HydraPipeline {
    /// Keeps how many example rows each user's head of `name` (`reranker-fit`, …) was trained
    /// on, for the head inspector.
    static func saveExampleCounts(_ counts: [String: Int], name: String, in store: SessionStore) throws {
        let json = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        try store.setValue(json, forKey: "examples:" + name)
    }

    /// The counts `saveExampleCounts` kept (empty for stores written before they were kept).
    public static func exampleCounts(name: String, in store: SessionStore) throws -> [String: Int] {
        guard let json = try store.value(forKey: "examples:" + name) else { return [:] }
        return (try? JSONDecoder().decode([String: Int].self, from: Data(json.utf8))) ?? [:]
    }
}

/// FNV-1a 64 over strings and integers, as hex: an integer is its 8 bytes, little-endian; a
/// string its UTF-8 followed by its length as an integer. Saved weights are keyed by it, so the
/// encoding must not change (a change retrains every saved model once).
struct Fingerprint {
    private var hash = FNV1a64()

    mutating func add(_ value: UInt64) {
        var v = value
        for _ in 0..<8 {
            hash.add(byte: UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    mutating func add(_ text: String) {
        hash.add(bytes: text.utf8)
        add(UInt64(text.utf8.count))
    }

    var hex: String { hash.hex }
}
