// What the kernel files share: half-precision decoding and the x86 target attributes.
#ifndef CK_COMMON_H
#define CK_COMMON_H

#include <stdint.h>
#include <string.h>

static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    int exponent = (h >> 10) & 0x1F;
    uint32_t mantissa = h & 0x3FF;
    float f;
    if (exponent == 0) {
        f = (float)mantissa * (1.0f / 16777216.0f);
        return sign ? -f : f;
    }
    uint32_t bits = exponent == 31 ? (sign | 0x7F800000u | (mantissa << 13))
                                   : (sign | ((uint32_t)(exponent + 112) << 23) | (mantissa << 13));
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t load_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define CK_HAVE_X86 1
#define CK_AVX2 __attribute__((target("avx2,fma,f16c")))
#define CK_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))
#define CK_INLINE __attribute__((always_inline)) static inline
#endif

#endif
