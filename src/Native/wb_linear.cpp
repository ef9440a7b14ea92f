// Linear layers on the CPU for libtorch 1.x, as one autograd node over oneDNN's sgemm.
//
// Debian's libtorch 1.13 hands every float32 product to OpenBLAS, which packs both operands on each
// call and runs on its own pthread pool beside ATen's OpenMP one. oneDNN's sgemm, which Debian's
// libtorch already loads (libdnnl.so.2, for its convolutions) and which threads over the same OpenMP
// pool as ATen, took 2-13% less time for a small GPT's products timed call by call inside its training
// step (benchmarks/sgemm-by-shape.sh), and the MNIST MLP's step 10-25% less (benchmarks/RESULTS.md,
// session 11). The bias is copied into the output rows before the product (beta 1), as addmm does.
// WORKBENCH_ONEDNN=0 turns the node off (libtorch's at::linear instead).
#include "wb_linear.h"

#include <cstdlib>
#include <cstring>

namespace {
using dnnl_sgemm_fn = int (*)(char, char, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*,
                              int64_t, float, float*, int64_t);
struct dnnl_version_t {
    int major, minor, patch;
    const char* hash;
    unsigned cpu_runtime, gpu_runtime;
};
using dnnl_version_fn = const dnnl_version_t* (*)();

struct OneDnn {
    dnnl_sgemm_fn sgemm = nullptr;
    std::string version;
};

// oneDNN as libtorch loaded it, looked up without loading anything.
OneDnn find_onednn() {
    OneDnn found;
    if (TORCH_VERSION_MAJOR >= 2) return found;
    if (const char* off = std::getenv("WORKBENCH_ONEDNN"); off != nullptr && std::strcmp(off, "0") == 0) return found;
    auto sgemm = reinterpret_cast<dnnl_sgemm_fn>(wb_loaded_symbol({"libdnnl.so.2"}, "dnnl_sgemm"));
    auto version = reinterpret_cast<dnnl_version_fn>(wb_loaded_symbol({"libdnnl.so.2"}, "dnnl_version"));
    if (sgemm == nullptr || version == nullptr) return found;
    const dnnl_version_t* v = version();
    found.sgemm = sgemm;
    found.version = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
    return found;
}

const OneDnn& onednn() {
    static const OneDnn d = find_onednn();
    return d;
}
}  // namespace

namespace wb_linear {
std::string backend() { return onednn().version; }
}  // namespace wb_linear

#if TORCH_VERSION_MAJOR < 2
#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {
// Row-major c (m x n) = op(a) op(b) + beta c.
void gemm(char ta, char tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
          float beta, float* c, int64_t ldc) {
    const int status = onednn().sgemm(ta, tb, m, n, k, 1.f, a, lda, b, ldb, beta, c, ldc);
    if (status != 0) throw std::runtime_error("oneDNN's sgemm failed with status " + std::to_string(status));
}

bool cpu_float(const at::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.layout() == at::kStrided;
}

at::Tensor forward_node(torch::autograd::AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& w_in,
                        const at::Tensor& b_in) {
    auto x = x_in.contiguous(), w = w_in.contiguous();
    const int64_t N = w.size(0), K = w.size(1), M = x.numel() / K;
    auto sizes = x.sizes().vec();
    sizes.back() = N;
    auto y = at::empty(sizes, x.options());
    float* out = y.data_ptr<float>();
    if (b_in.defined()) {
        auto b = b_in.contiguous();
        const float* bias = b.data_ptr<float>();
        for (int64_t r = 0; r < M; r++) std::memcpy(out + r * N, bias, sizeof(float) * static_cast<size_t>(N));
    }
    gemm('N', 'T', M, N, K, x.data_ptr<float>(), K, w.data_ptr<float>(), K, b_in.defined() ? 1.f : 0.f, out, N);
    ctx->save_for_backward({x, w});
    return y;
}

// The gradients of x, w and, when `bias`, b.
torch::autograd::tensor_list backward_node(torch::autograd::AutogradContext* ctx, const at::Tensor& grad, bool bias) {
    auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &w = saved[1];
    const int64_t N = w.size(0), K = w.size(1), M = x.numel() / K;
    auto dy = grad.contiguous().view({M, N});
    // The engine's backward never builds a graph of the gradients (no create_graph), so these are plain products.
    at::Tensor dx, dw;
    if (ctx->needs_input_grad(0)) {  // dx (M, K) = dy (M, N) w (N, K)
        dx = at::empty(x.sizes(), x.options());
        gemm('N', 'N', M, K, N, dy.data_ptr<float>(), N, w.data_ptr<float>(), K, 0.f, dx.data_ptr<float>(), K);
    }
    if (ctx->needs_input_grad(1)) {  // dw (N, K) = dy^T (N, M) x (M, K)
        dw = at::empty({N, K}, w.options());
        gemm('T', 'N', N, K, M, dy.data_ptr<float>(), N, x.data_ptr<float>(), K, 0.f, dw.data_ptr<float>(), K);
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
    if (onednn().sgemm == nullptr || at::autocast::is_cpu_enabled() || at::autocast::is_enabled()) return false;
    if (!cpu_float(x) || !cpu_float(w) || x.dim() < 1 || w.dim() != 2 || x.size(-1) != w.size(1)) return false;
    if (b.defined() && (!cpu_float(b) || b.dim() != 1 || b.size(0) != w.size(0))) return false;
    return x.numel() > 0 && w.numel() > 0;
}

at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
    return b.defined() ? LinearBias::apply(x, w, b) : LinearNoBias::apply(x, w);
}
}  // namespace wb_linear
#endif
