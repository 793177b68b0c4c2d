// SwiGLU's gate, silu(g) * u, 8 floats at a time (AVX2 + FMA), chosen at run time.
#include "ck_activation.h"
#include "ck_common.h"
#include <math.h>

static void swiglu_plain(float *gate, const float *up, int n) {
    for (int i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

#ifdef CK_HAVE_X86

// sigmoid(g) from e = exp(-|g|), which never overflows: 1 / (1 + e) for g >= 0, e / (1 + e) below
CK_AVX2 static void swiglu_avx2(float *gate, const float *up, int n) {
    const __m256 one = _mm256_set1_ps(1.0f), sign = _mm256_set1_ps(-0.0f);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 g = _mm256_loadu_ps(gate + i);
        __m256 e = ck_exp_nonpositive(_mm256_or_ps(g, sign));
        __m256 numerator = _mm256_blendv_ps(one, e, g);  // g's sign bit picks e
        __m256 sigmoid = _mm256_div_ps(numerator, _mm256_add_ps(one, e));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_mul_ps(g, sigmoid), _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

static int has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return cached;
}
#endif

int ck_swiglu_path(int path, float *gate, const float *up, int n) {
    if (path == 0) { swiglu_plain(gate, up, n); return 0; }
#ifdef CK_HAVE_X86
    if (path == 1 && has_avx2_fma()) { swiglu_avx2(gate, up, n); return 0; }
#endif
    return -1;
}

void ck_swiglu(float *gate, const float *up, int n) {
#ifdef CK_HAVE_X86
    if (has_avx2_fma()) { swiglu_avx2(gate, up, n); return; }
#endif
    swiglu_plain(gate, up, n);
}
