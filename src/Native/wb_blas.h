// Direct calls to the BLAS libtorch itself calls, for the CPU float32 fast paths of libtorch 1.x
// (wb_attention.cpp, wb_linear.cpp). Everything is looked up in the already loaded libraries; where a
// symbol is missing (a libtorch with a private BLAS) the callers keep libtorch's own ops.
#pragma once

#include "wb_common.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace wb_blas {
using sgemm_fn = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                          const int*, const float*, const int*, const float*, float*, const int*);

// The Fortran sgemm_ (libblas.so.3: OpenBLAS on Debian), or null.
sgemm_fn sgemm();

// True when sgemm can be told to run on the calling thread only (OpenBLAS's openblas_set_num_threads
// was found), so that products can be split over ATen's threads instead of BLAS's own.
bool can_pin();

// Row-major c (m x n) = alpha op(a) op(b) + beta c; sgemm() must not be null.
inline void gemm(char ta, char tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
    // As column-major c^T = op(b)^T op(a)^T.
    const int M = static_cast<int>(m), N = static_cast<int>(n), K = static_cast<int>(k);
    const int LDA = static_cast<int>(lda), LDB = static_cast<int>(ldb), LDC = static_cast<int>(ldc);
    sgemm()(&tb, &ta, &N, &M, &K, &alpha, b, &LDB, a, &LDA, &beta, c, &LDC);
}

// While alive, OpenBLAS runs every product on the thread that calls it (its worker count is 1), and
// puts the count back after. Only the engine's own thread may hold one (OpenBLAS's count is global).
class OneThread {
public:
    OneThread();
    ~OneThread();
    OneThread(const OneThread&) = delete;
    OneThread& operator=(const OneThread&) = delete;

private:
    int previous_;
};

// Whether products of `work` multiply-adds are worth splitting over ATen's threads: OpenBLAS threads a
// product from 2^18 multiply-adds on (below that it runs on one thread anyway).
inline bool worth_splitting(int64_t work) {
    return work >= (int64_t{1} << 18) && at::get_num_threads() > 1 && can_pin() && !at::in_parallel_region();
}

// The bounds of part p of `parts` over [0, n), in multiples of `align` (the last part takes the rest).
inline std::pair<int64_t, int64_t> part(int64_t n, int64_t align, int64_t p, int64_t parts) {
    const int64_t units = (n + align - 1) / align;
    return {std::min(n, (units * p / parts) * align), std::min(n, (units * (p + 1) / parts) * align)};
}

// Runs task(0) .. task(count - 1) over ATen's threads, each on one BLAS thread.
template <typename F>
void run_parts(int64_t count, const F& task) {
    OneThread one;
    at::parallel_for(0, count, 1, [&](int64_t first, int64_t last) {
        for (int64_t p = first; p < last; p++) task(p);
    });
}

// Runs f(begin, end) over [0, n) in parts of `align`-multiples, one part per ATen thread, each on one
// BLAS thread, when `work` (multiply-adds) is worth splitting; else f(0, n) once, BLAS threading it
// as it would. Call from the engine's thread only.
template <typename F>
void split(int64_t n, int64_t align, int64_t work, const F& f) {
    const int64_t parts = std::min<int64_t>(at::get_num_threads(), (n + align - 1) / align);
    if (parts < 2 || !worth_splitting(work)) {
        f(int64_t{0}, n);
        return;
    }
    run_parts(parts, [&](int64_t p) {
        const auto [begin, end] = part(n, align, p, parts);
        if (begin < end) f(begin, end);
    });
}
}  // namespace wb_blas
