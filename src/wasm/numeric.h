/*
 * numeric.h -- WebAssembly numeric semantics that C does not give
 * directly (private): min/max with NaN and signed zeros, trapping and
 * saturating float-to-int conversions.
 */
#ifndef WVM_WASM_NUMERIC_H
#define WVM_WASM_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include "wvm.h"

/* NaN in -> NaN out (a + b yields a quiet NaN); -0 is less than +0. */
static inline float f32_min(float a, float b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}
static inline float f32_max(float a, float b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}
static inline double f64_min(double a, double b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}
static inline double f64_max(double a, double b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}

/* Trapping truncations: the bounds are the exact open intervals of
 * values whose truncation fits the target type. */
#define TRUNC_FN(name, F, T, lo, hi) \
    static inline wvm_status name(F x, T *out) { \
        if (isnan(x)) return WVM_TRAP_INVALID_CONV; \
        if (!(x > (lo) && x < (hi))) return WVM_TRAP_INT_OVERFLOW; \
        *out = (T)x; \
        return WVM_OK; \
    }
TRUNC_FN(trunc_f32_i32, float, int32_t, -2147483904.0f, 2147483648.0f)
TRUNC_FN(trunc_f32_u32, float, uint32_t, -1.0f, 4294967296.0f)
TRUNC_FN(trunc_f64_i32, double, int32_t, -2147483649.0, 2147483648.0)
TRUNC_FN(trunc_f64_u32, double, uint32_t, -1.0, 4294967296.0)
TRUNC_FN(trunc_f32_i64, float, int64_t, -9223373136366403584.0f, 9223372036854775808.0f)
TRUNC_FN(trunc_f32_u64, float, uint64_t, -1.0f, 18446744073709551616.0f)
TRUNC_FN(trunc_f64_i64, double, int64_t, -9223372036854777856.0, 9223372036854775808.0)
TRUNC_FN(trunc_f64_u64, double, uint64_t, -1.0, 18446744073709551616.0)
#undef TRUNC_FN

/* Saturating truncations: NaN -> 0, out of range -> the nearest bound. */
#define SAT_FN(name, F, T, lo, hi, tmin, tmax) \
    static inline T name(F x) { \
        if (isnan(x)) return 0; \
        if (!(x > (lo))) return tmin; \
        if (!(x < (hi))) return tmax; \
        return (T)x; \
    }
SAT_FN(sat_f32_i32, float, int32_t, -2147483904.0f, 2147483648.0f, INT32_MIN, INT32_MAX)
SAT_FN(sat_f32_u32, float, uint32_t, -1.0f, 4294967296.0f, 0, UINT32_MAX)
SAT_FN(sat_f64_i32, double, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
SAT_FN(sat_f64_u32, double, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
SAT_FN(sat_f32_i64, float, int64_t, -9223373136366403584.0f, 9223372036854775808.0f, INT64_MIN, INT64_MAX)
SAT_FN(sat_f32_u64, float, uint64_t, -1.0f, 18446744073709551616.0f, 0, UINT64_MAX)
SAT_FN(sat_f64_i64, double, int64_t, -9223372036854777856.0, 9223372036854775808.0, INT64_MIN, INT64_MAX)
SAT_FN(sat_f64_u64, double, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
#undef SAT_FN

#endif
