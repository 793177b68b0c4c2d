import Numerics

/// Inverted dropout: in training, each element is zeroed with probability `p` and the rest are
/// scaled by `1 / (1 - p)`; at inference it is the identity (PyTorch `nn.Dropout`).
///
/// The mask comes from the caller's seeded generator, one `uniform()` per element in row-major
/// order, so a run is reproducible.
public struct Dropout: Sendable, Equatable {
    /// Probability of dropping an element, in [0, 1).
    public let p: Float

    /// A dropout layer dropping with probability `p`.
    public init(p: Float) {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
        self.p = p
    }

    /// y = x ⊙ mask, with the mask (same shape, values 0 or 1/(1-p)); nil mask when inactive.
    public func forward(_ x: Matrix, training: Bool, rng: inout SplitMix64) -> (output: Matrix, mask: [Float]?) {
        guard training, p > 0 else { return (x, nil) }
        let keep = 1 / (1 - p)
        // uniform() >= p  ⇔  (next() >> 11) >= ⌈p · 2^53⌉, without the Double conversion
        let threshold = UInt64((Double(p) * 0x1.0p53).rounded(.up))
        var mask = [Float](repeating: 0, count: x.count)
        var y = x
        mask.withUnsafeMutableBufferPointer { m in
            y.data.withUnsafeMutableBufferPointer { out in
                for i in 0..<m.count {
                    let kept: Float = rng.next() >> 11 >= threshold ? keep : 0
                    m[i] = kept
                    out[i] *= kept
                }
            }
        }
        return (y, mask)
    }

    /// dx = dy ⊙ mask (identity when the forward pass used no mask).
    public func backward(_ dy: Matrix, mask: [Float]?) -> Matrix {
        guard let mask else { return dy }
        var dx = dy
        multiplyInPlace(&dx.data, by: mask)
        return dx
    }
}
