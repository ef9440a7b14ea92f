// Linear layers on the CPU for libtorch 1.x, as one autograd node whose three products (the output,
// the input's gradient, the weight's gradient) are split over ATen's threads, each part one BLAS call
// on one thread. libtorch 1.13 instead hands each product to OpenBLAS, whose own worker pool then
// shares the two cores with ATen's: a small GPT's step spent 7% in the kernel's scheduler, OpenBLAS's
// worker waking and yielding, and more waiting. One pool does all of it here. The bias is copied into
// the output rows before the product (beta 1), as addmm does, so BLAS has no separate pass over them.
#include "wb_linear.h"

#if TORCH_VERSION_MAJOR < 2
#include "wb_blas.h"

#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cstring>
#include <limits>

namespace {
bool cpu_float(const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat && !t.is_sparse(); }

// y (M, N) = x (M, K) w^T (+ b), split by rows.
void forward_product(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t N, int64_t K) {
    wb_blas::split(M, 8, M * N * K, [&](int64_t r0, int64_t r1) {
        if (b != nullptr)
            for (int64_t r = r0; r < r1; r++) std::memcpy(y + r * N, b, sizeof(float) * static_cast<size_t>(N));
        wb_blas::gemm('N', 'T', r1 - r0, N, K, 1.f, x + r0 * K, K, w, K, b != nullptr ? 1.f : 0.f, y + r0 * N, N);
    });
}

// dx (M, K) = dy (M, N) w (N, K), rows r0..r1.
void input_gradient(const float* dy, const float* w, float* dx, int64_t r0, int64_t r1, int64_t N, int64_t K) {
    wb_blas::gemm('N', 'N', r1 - r0, K, N, 1.f, dy + r0 * N, N, w, K, 0.f, dx + r0 * K, K);
}

// dw (N, K) = dy^T (N, M) x (M, K), dw's rows n0..n1. Each element sums over all M rows, in the same
// order however the product is split.
void weight_gradient(const float* dy, const float* x, float* dw, int64_t M, int64_t n0, int64_t n1, int64_t N, int64_t K) {
    wb_blas::gemm('T', 'N', n1 - n0, K, M, 1.f, dy + n0, N, x, K, 0.f, dw + n0 * K, K);
}

// Both gradients, which are the same number of multiply-adds (M N K): with both wanted, half of the
// threads compute dx by rows and the other half dw by rows, all in one parallel region (on 2 threads
// one product each, so neither packs the other's operands twice and the workers wake once).
void gradients(const float* dy, const float* x, const float* w, float* dx, float* dw, int64_t M, int64_t N, int64_t K) {
    const int64_t threads = at::get_num_threads();
    if (dx != nullptr && dw != nullptr && threads >= 2 && wb_blas::worth_splitting(M * N * K)) {
        const int64_t px = std::min<int64_t>(threads / 2, (M + 7) / 8), pw = std::min<int64_t>(threads - threads / 2, (N + 7) / 8);
        wb_blas::run_parts(px + pw, [&](int64_t p) {
            if (p < px) {
                const auto [r0, r1] = wb_blas::part(M, 8, p, px);
                if (r0 < r1) input_gradient(dy, w, dx, r0, r1, N, K);
            } else {
                const auto [n0, n1] = wb_blas::part(N, 8, p - px, pw);
                if (n0 < n1) weight_gradient(dy, x, dw, M, n0, n1, N, K);
            }
        });
        return;
    }
    if (dx != nullptr)
        wb_blas::split(M, 8, M * N * K, [&](int64_t r0, int64_t r1) { input_gradient(dy, w, dx, r0, r1, N, K); });
    if (dw != nullptr)
        wb_blas::split(N, 8, M * N * K, [&](int64_t n0, int64_t n1) { weight_gradient(dy, x, dw, M, n0, n1, N, K); });
}

std::vector<int64_t> output_sizes(const at::Tensor& x, int64_t N) {
    auto sizes = x.sizes().vec();
    sizes.back() = N;
    return sizes;
}

at::Tensor forward_node(torch::autograd::AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& w_in,
                        const at::Tensor& b_in) {
    auto x = x_in.contiguous(), w = w_in.contiguous();
    auto b = b_in.defined() ? b_in.contiguous() : b_in;
    const int64_t K = w.size(1), N = w.size(0), M = x.numel() / K;
    auto y = at::empty(output_sizes(x, N), x.options());
    forward_product(x.data_ptr<float>(), w.data_ptr<float>(), b.defined() ? b.data_ptr<float>() : nullptr,
                    y.data_ptr<float>(), M, N, K);
    ctx->save_for_backward({x, w});
    return y;
}

// The gradients of x, w and, when `bias`, b.
torch::autograd::tensor_list backward_node(torch::autograd::AutogradContext* ctx, const at::Tensor& grad, bool bias) {
    auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &w = saved[1];
    const int64_t K = w.size(1), N = w.size(0), M = x.numel() / K;
    auto dy = grad.contiguous().view({M, N});
    at::Tensor dx, dw;
    if (at::GradMode::is_enabled()) {
        // A graph of the gradients (create_graph): libtorch's differentiable ops.
        if (ctx->needs_input_grad(0)) dx = dy.mm(w).view(x.sizes());
        if (ctx->needs_input_grad(1)) dw = dy.t().mm(x.view({M, K}));
    } else {
        if (ctx->needs_input_grad(0)) dx = at::empty(x.sizes(), x.options());
        if (ctx->needs_input_grad(1)) dw = at::empty({N, K}, w.options());
        gradients(dy.data_ptr<float>(), x.data_ptr<float>(), w.data_ptr<float>(), dx.defined() ? dx.data_ptr<float>() : nullptr,
                  dw.defined() ? dw.data_ptr<float>() : nullptr, M, N, K);
    }
    if (!bias) return {dx, dw};
    return {dx, dw, ctx->needs_input_grad(2) ? dy.sum(0) : at::Tensor()};
}

// Two nodes, as libtorch 1.13's custom functions take no undefined tensor among their inputs.
struct LinearBias : public torch::autograd::Function<LinearBias> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& w,
                              const at::Tensor& b) {
        return forward_node(ctx, x, w, b);
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::tensor_list grads) {
        return backward_node(ctx, grads[0], true);
    }
};

struct LinearNoBias : public torch::autograd::Function<LinearNoBias> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& w) {
        return forward_node(ctx, x, w, at::Tensor());
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::tensor_list grads) {
        return backward_node(ctx, grads[0], false);
    }
};
}  // namespace

namespace wb_linear {
bool applies(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
    if (!wb_blas::can_pin() || at::autocast::is_cpu_enabled() || at::autocast::is_enabled()) return false;
    if (!cpu_float(x) || !cpu_float(w) || x.dim() < 2 || w.dim() != 2 || x.size(-1) != w.size(1)) return false;
    if (b.defined() && (!cpu_float(b) || b.dim() != 1 || b.size(0) != w.size(0))) return false;
    const int64_t limit = std::numeric_limits<int>::max();
    const int64_t K = w.size(1), N = w.size(0);
    if (K == 0 || N == 0 || x.numel() == 0) return false;
    const int64_t M = x.numel() / K;
    return M < limit && N < limit && K < limit && x.numel() < limit && M * N < limit && w.numel() < limit;
}

at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
    return b.defined() ? LinearBias::apply(x, w, b) : LinearNoBias::apply(x, w);
}
}  // namespace wb_linear
#endif
