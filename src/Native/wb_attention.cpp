// Causal attention as one autograd node on the CPU, for libtorch 1.x (2.x has a fused kernel).
//
// The products of each (batch, head) slice go straight to BLAS's sgemm, reading q, k and v where the
// GPT's projection left them (strided, no transposed copies) and writing the output in the layout the
// next projection reads. Small slices run one per core, each product on one thread: libtorch 1.13's
// bmm instead runs the slices in turn, each a 64x64x32 product that BLAS splits over the cores, which
// is where a small GPT's attention spent its time (8.4 ms forward and backward for a 4-head, 64-token,
// batch-12 layer op by op; 3.2 ms sliced). The softmax and its backward stay libtorch's vectorised
// kernels, run over all slices at once between the products.
#include "wb_attention.h"

#if TORCH_VERSION_MAJOR < 2
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <limits>

namespace {
using sgemm_fn = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                          const int*, const float*, const int*, const float*, float*, const int*);

// The Fortran sgemm of the BLAS libtorch itself calls, looked up in the already loaded libraries
// (Debian's libtorch: libblas.so.3, OpenBLAS by default). Absent (a libtorch with a private BLAS),
// attention takes the op-by-op path.
sgemm_fn sgemm() {
    static const sgemm_fn f = reinterpret_cast<sgemm_fn>(
        wb_loaded_symbol({"libblas.so.3", "libopenblas.so.0", "libmkl_rt.so.2", "libmkl_rt.so"}, "sgemm_"));
    return f;
}

// Row-major c (m x n) = alpha op(a) op(b) + beta c, as column-major c^T = op(b)^T op(a)^T.
void gemm(char ta, char tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, const float* b,
          int64_t ldb, float beta, float* c, int64_t ldc) {
    const int M = static_cast<int>(m), N = static_cast<int>(n), K = static_cast<int>(k);
    const int LDA = static_cast<int>(lda), LDB = static_cast<int>(ldb), LDC = static_cast<int>(ldc);
    sgemm()(&tb, &ta, &N, &M, &K, &alpha, b, &LDB, a, &LDA, &beta, c, &LDC);
}

// A (B, H, rows, D) operand: element (b, h, r, d) at p + b*sb + h*sh + r*ld + d.
struct Slices {
    float* p;
    int64_t sb, sh, ld;
    float* at(int64_t i, int64_t heads) const { return p + (i / heads) * sb + (i % heads) * sh; }
};

// A 4-D (B, H, rows, D) tensor as Slices; the last dimension must be contiguous. BLAS wants a leading
// dimension of at least D even where the row stride means nothing (one row).
Slices slices(const at::Tensor& t) {
    const int64_t ld = t.size(2) > 1 ? t.stride(2) : t.size(3);
    return {t.data_ptr<float>(), t.stride(0), t.stride(1), std::max<int64_t>(ld, std::max<int64_t>(t.size(3), 1))};
}

// Slices small enough that BLAS runs each product on one thread go one per core; bigger ones in turn,
// each product on all cores (OpenBLAS threads a product from about 2^18 multiply-adds on).
template <typename F>
void over_slices(int64_t n, int64_t work, const F& f) {
    if (work < (int64_t{1} << 18)) {
        at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; i++) f(i);
        });
    } else {
        for (int64_t i = 0; i < n; i++) f(i);
    }
}

// Scores (B*H, T, S) = scale q k^T with the future masked, then softmax over keys.
at::Tensor forward_weights(const Slices& q, const Slices& k, int64_t n, int64_t heads, int64_t T, int64_t S, int64_t D,
                           float scale, const at::TensorOptions& options) {
    auto scores = at::empty({n, T, S}, options);
    float* s = scores.data_ptr<float>();
    const float neg_inf = -std::numeric_limits<float>::infinity();
    over_slices(n, T * S * D, [&](int64_t i) {
        float* slice = s + i * T * S;
        gemm('N', 'T', T, S, D, scale, q.at(i, heads), q.ld, k.at(i, heads), k.ld, 0.f, slice, S);
        for (int64_t r = 0; r < T; r++)  // top-left aligned: query r sees keys 0..r
            for (int64_t c = r + 1; c < S; c++) slice[r * S + c] = neg_inf;
    });
    return at::_softmax(scores, -1, false);
}

// y = weights v, per slice.
void forward_output(const at::Tensor& weights, const Slices& v, const Slices& y, int64_t n, int64_t heads, int64_t T,
                    int64_t S, int64_t D) {
    const float* w = weights.data_ptr<float>();
    over_slices(n, T * S * D, [&](int64_t i) {
        gemm('N', 'N', T, D, S, 1.f, w + i * T * S, S, v.at(i, heads), v.ld, 0.f, y.at(i, heads), y.ld);
    });
}

// From dy: dv = weights^T dy, the scores' gradient through the softmax, dq = scale ds k, dk = scale ds^T q.
void backward_slices(const at::Tensor& weights, const Slices& q, const Slices& k, const Slices& v, const Slices& dy,
                     const Slices& dq, const Slices& dk, const Slices& dv, int64_t n, int64_t heads, int64_t T, int64_t S,
                     int64_t D, float scale) {
    auto dw = at::empty_like(weights);
    const float* w = weights.data_ptr<float>();
    float* dwp = dw.data_ptr<float>();
    over_slices(n, T * S * D, [&](int64_t i) {
        gemm('T', 'N', S, D, T, 1.f, w + i * T * S, S, dy.at(i, heads), dy.ld, 0.f, dv.at(i, heads), dv.ld);
        gemm('N', 'T', T, S, D, 1.f, dy.at(i, heads), dy.ld, v.at(i, heads), v.ld, 0.f, dwp + i * T * S, S);
    });
    auto ds = at::_softmax_backward_data(dw, weights, -1, weights.scalar_type());
    const float* dsp = ds.data_ptr<float>();
    over_slices(n, T * S * D, [&](int64_t i) {
        gemm('N', 'N', T, D, S, scale, dsp + i * T * S, S, k.at(i, heads), k.ld, 0.f, dq.at(i, heads), dq.ld);
        gemm('T', 'N', S, D, T, scale, dsp + i * T * S, S, q.at(i, heads), q.ld, 0.f, dk.at(i, heads), dk.ld);
    });
}

// (B, H, T, D) over (B, T, H, D) memory: written per slice, then read back as the caller expects.
at::Tensor heads_last(int64_t B, int64_t H, int64_t T, int64_t D, const at::TensorOptions& options) {
    return at::empty({B, T, H, D}, options).transpose(1, 2);
}

// Rows BLAS can read in place: the last dimension contiguous, rows apart by at least a row (an
// expanded tensor's zero strides are not), batch and head strides not negative.
at::Tensor sliceable(const at::Tensor& t) {
    const bool rows = (t.stride(3) == 1 || t.size(3) == 1) && (t.size(2) == 1 || t.stride(2) >= t.size(3));
    return rows && t.stride(0) >= 0 && t.stride(1) >= 0 ? t : t.contiguous();
}

struct CausalAttention : public torch::autograd::Function<CausalAttention> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& q_in, const at::Tensor& k_in,
                              const at::Tensor& v_in) {
        auto q = sliceable(q_in), k = sliceable(k_in), v = sliceable(v_in);
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), S = k.size(2), D = q.size(3);
        const float scale = 1.0f / std::sqrt(static_cast<float>(D));
        auto weights = forward_weights(slices(q), slices(k), B * H, H, T, S, D, scale, q.options());
        auto y = heads_last(B, H, T, D, q.options());
        forward_output(weights, slices(v), slices(y), B * H, H, T, S, D);
        ctx->save_for_backward({q, k, v, weights});
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::tensor_list grads) {
        auto saved = ctx->get_saved_variables();
        const auto &q = saved[0], &k = saved[1], &v = saved[2], &weights = saved[3];
        auto dy = sliceable(grads[0]);
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), S = k.size(2), D = q.size(3);
        auto dq = heads_last(B, H, T, D, q.options());
        auto dk = heads_last(B, H, S, D, q.options()), dv = heads_last(B, H, S, D, q.options());
        backward_slices(weights, slices(q), slices(k), slices(v), slices(dy), slices(dq), slices(dk), slices(dv), B * H, H,
                        T, S, D, 1.0f / std::sqrt(static_cast<float>(D)));
        return {dq, dk, dv};
    }
};

// qkv (B, T, 3C) as (B, H, T, D) slices: part 0 is q, 1 is k, 2 is v.
Slices packed_part(const at::Tensor& qkv, int64_t heads, int part) {
    const int64_t C = qkv.size(2) / 3, D = C / heads;
    return {qkv.data_ptr<float>() + part * C, qkv.stride(0), D, std::max<int64_t>(qkv.stride(1), 3 * C)};
}

Slices packed_out(const at::Tensor& y, int64_t heads) {
    const int64_t C = y.size(2);
    return {y.data_ptr<float>(), y.stride(0), C / heads, std::max<int64_t>(y.stride(1), C)};
}

struct PackedAttention : public torch::autograd::Function<PackedAttention> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& qkv_in, int64_t heads) {
        auto qkv = qkv_in.contiguous();
        const int64_t B = qkv.size(0), T = qkv.size(1), C = qkv.size(2) / 3, D = C / heads;
        const float scale = 1.0f / std::sqrt(static_cast<float>(D));
        auto weights = forward_weights(packed_part(qkv, heads, 0), packed_part(qkv, heads, 1), B * heads, heads, T, T, D,
                                       scale, qkv.options());
        auto y = at::empty({B, T, C}, qkv.options());
        forward_output(weights, packed_part(qkv, heads, 2), packed_out(y, heads), B * heads, heads, T, T, D);
        ctx->save_for_backward({qkv, weights});
        ctx->saved_data["heads"] = heads;
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::tensor_list grads) {
        auto saved = ctx->get_saved_variables();
        const auto &qkv = saved[0], &weights = saved[1];
        const int64_t heads = ctx->saved_data["heads"].toInt();
        auto dy = grads[0].contiguous();
        const int64_t B = qkv.size(0), T = qkv.size(1), C = qkv.size(2) / 3, D = C / heads;
        auto dqkv = at::empty({B, T, 3 * C}, qkv.options());
        backward_slices(weights, packed_part(qkv, heads, 0), packed_part(qkv, heads, 1), packed_part(qkv, heads, 2),
                        packed_out(dy, heads), packed_part(dqkv, heads, 0), packed_part(dqkv, heads, 1),
                        packed_part(dqkv, heads, 2), B * heads, heads, T, T, D, 1.0f / std::sqrt(static_cast<float>(D)));
        return {dqkv, at::Tensor()};
    }
};
}  // namespace

namespace wb_attention {
bool can_slice(const at::Tensor& t) {
    return sgemm() != nullptr && t.device().is_cpu() && t.scalar_type() == at::kFloat && !at::autocast::is_cpu_enabled() &&
           !at::autocast::is_enabled() && t.numel() < std::numeric_limits<int>::max();
}

at::Tensor causal(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v) { return CausalAttention::apply(q, k, v); }

at::Tensor packed(const at::Tensor& qkv, int64_t heads) { return PackedAttention::apply(qkv, heads); }
}  // namespace wb_attention
#endif
