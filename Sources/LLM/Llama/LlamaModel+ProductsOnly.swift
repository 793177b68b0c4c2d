extension LlamaModel {
    /// The multiply-adds of one prompt pass over `rows` rows: every layer's weight products for
    /// every row, the output projection for the last one (a prompt pass needs one row of logits).
    public func promptMultiplyAdds(rows: Int) -> Int {
        let c = configuration
        let perRow = c.layers * (c.hiddenSize * (2 * c.hiddenSize + 2 * c.kvDim) + 3 * c.hiddenSize * c.intermediateSize)
        return rows * perRow + c.vocabularySize * c.hiddenSize
    }

    /// Runs only the weight products of a prompt pass over `rows` rows (every layer's, and the
    /// output projection for one row) on whatever the state's buffers hold, nothing else: the
    /// bound a prompt pass cannot beat with these kernels on this machine (`hydra bench llm`'s
    /// `products_only_tokens_per_s`).
    public func runPromptProducts(rows n: Int, state s: LlamaState) {
        precondition(n >= 1 && n <= s.maxRows, "rows exceed the state")
        let c = configuration
        for w in weights.layers {
            WeightMatrix.apply([(w.wq, s.q), (w.wk, s.k), (w.wv, s.v)], s.xb, n: n, scratch: s.scratch)
            w.wo.apply(s.xb, n: n, into: s.xb2, ldy: c.hiddenSize, scratch: s.scratch)
            WeightMatrix.apply([(w.w1, s.hb), (w.w3, s.hb2)], s.xb, n: n, scratch: s.scratch)
            w.w2.apply(s.hb, n: n, into: s.xb, ldy: c.hiddenSize, scratch: s.scratch)
        }
        weights.output.apply(s.xb, n: 1, into: s.logits, ldy: c.vocabularySize, scratch: s.scratch)
    }
}
