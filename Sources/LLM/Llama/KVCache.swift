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
