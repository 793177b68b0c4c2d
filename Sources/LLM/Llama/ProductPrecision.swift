import CKernels

/// How the forward pass computes its weight × activation products.
public enum ProductPrecision: String, CaseIterable, Sendable, Codable {
    /// Float activations against the exactly dequantized weights (SIMD mat-vec kernels, sgemm for
    /// prompt chunks): logits within 0.02 of the float64 oracle. The parity tests use it.
    case exact
    /// Activations quantized to int8 per block of 32 and integer dot products with the quantized
    /// weights, as llama.cpp computes them: several times faster; logits differ from the oracle
    /// by about as much as llama.cpp's own (LLMTests/Int8FidelityTests holds the bound).
    case int8

    /// What the app uses unless told otherwise (`--precision`, a session's `llm.precision`).
    public static let standard: ProductPrecision = .int8

    /// The code path the products take on this CPU, for benchmarks and logs: `int8-avx2`,
    /// `int8-avx512vnni`, `exact-avx512`, `…-plain`.
    public var kernelPath: String {
        switch self {
        case .exact:
            switch Int(ck_best_path()) {
            case Int(CK_PATH_AVX512): "exact-avx512"
            case Int(CK_PATH_AVX2): "exact-avx2"
            default: "exact-plain"
            }
        case .int8:
            switch Int(ck_int8_best_path()) {
            case Int(CK_INT8_AVX512_VNNI): "int8-avx512vnni"
            case Int(CK_INT8_AVX2): "int8-avx2"
            default: "int8-plain"
            }
        }
    }
}
