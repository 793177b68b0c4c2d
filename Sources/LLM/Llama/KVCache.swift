/// Keys and values of every layer for the positions processed so far (run.c's `key_cache`,
/// `value_cache`), laid out `(layer, capacity, kvDim)`.
///
/// A value type: a copy shares its buffers until the first write. N sample streams forked from one
/// prompt do not copy the prompt's cache: it is passed to `LlamaModel.forward` as the shared
/// `prefix`, and each stream's own cache holds only the positions it generates.
public struct KVCache: Sendable {
    /// Number of positions stored.
    public internal(set) var count: Int = 0
    /// Positions the cache holds before it has to grow.
    public private(set) var capacity: Int
    let layers: Int
    let kvDim: Int
    var keys: [Float]
    var values: [Float]

    /// An empty cache with room for `capacity` positions of a model with `configuration`; it grows
    /// when more are appended.
    public init(configuration: LlamaConfiguration, capacity: Int) {
        self.capacity = capacity
        layers = configuration.layers
        kvDim = configuration.kvDim
        keys = [Float](repeating: 0, count: layers * capacity * kvDim)
        values = keys
    }

    /// A cache of no positions and no layers: what a request holds while its real cache is in a
    /// forward pass, or after it ended.
    static let empty = KVCache(layers: 0, kvDim: 0)

    private init(layers: Int, kvDim: Int) {
        capacity = 0
        self.layers = layers
        self.kvDim = kvDim
        keys = []
        values = []
    }

    /// A cache holding a copy of the first `count` positions of `source`, with room for `capacity`
    /// positions in all: a new prompt that starts like an earlier one continues from its keys and
    /// values instead of recomputing them (a copy costs microseconds per position, a forward pass
    /// milliseconds).
    init(copyingPrefixOf source: KVCache, count: Int, capacity: Int) {
        precondition(count <= source.count && count <= capacity, "copies more positions than exist or fit")
        self.capacity = capacity
        layers = source.layers
        kvDim = source.kvDim
        keys = [Float](repeating: 0, count: layers * capacity * kvDim)
        values = keys
        for l in 0..<layers {
            let (from, to, n) = (l * source.capacity * kvDim, l * capacity * kvDim, count * kvDim)
            keys[to..<(to + n)] = source.keys[from..<(from + n)]
            values[to..<(to + n)] = source.values[from..<(from + n)]
        }
        self.count = count
    }

    /// Bytes one position takes (keys and values of every layer).
    var bytesPerPosition: Int { 2 * layers * kvDim * MemoryLayout<Float>.size }

    /// Makes room for at least `needed` positions, at least doubling the capacity (the layout is
    /// per layer, so growing copies each layer's rows into the larger buffers).
    mutating func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, 2 * capacity)
        var newKeys = [Float](repeating: 0, count: layers * newCapacity * kvDim)
        var newValues = newKeys
        for l in 0..<layers {
            let (from, to, n) = (l * capacity * kvDim, l * newCapacity * kvDim, count * kvDim)
            newKeys[to..<(to + n)] = keys[from..<(from + n)]
            newValues[to..<(to + n)] = values[from..<(from + n)]
        }
        keys = newKeys
        values = newValues
        capacity = newCapacity
    }

    /// Calls `body` with the keys and values of `layer`, position 0 first.
    func withLayer(_ layer: Int, _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> Void) {
        keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                body(k.baseAddress! + offset(layer: layer, position: 0), v.baseAddress! + offset(layer: layer, position: 0))
            }
        }
    }

    /// Offset of (layer, position) in `keys` / `values`.
    func offset(layer: Int, position: Int) -> Int { (layer * capacity + position) * kvDim }
}
