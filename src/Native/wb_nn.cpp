// Neural-network functions and losses (torch.nn.functional) over ATen.
// Op codes must match Workbench.Torch's enums in Native/NativeMethods.Nn.cs.
#include "wb_common.h"
#include "wb_attention.h"
#include "wb_linear.h"

#include <torch/csrc/api/include/torch/version.h>

#include <cmath>
#include <limits>

namespace {
// An optional tensor argument: a null handle means "none".
at::Tensor optional(wb_tensor t) { return t ? *t : at::Tensor(); }

at::IntArrayRef pair(const int64_t* p) { return at::IntArrayRef(p, 2); }

enum SoftmaxOp : int32_t { SM_SOFTMAX = 0, SM_LOG_SOFTMAX };

enum PoolOp : int32_t { P_MAX = 0, P_AVG };

enum LossOp : int32_t { L_CROSS_ENTROPY = 0, L_NLL, L_MSE, L_BCE_WITH_LOGITS };

// softmax(q k^T / sqrt(D) + mask) v, written out: the path for libtorch 1.13, and the reference for 2.x.
at::Tensor attention_by_hand(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask,
                             double dropout_p, bool is_causal) {
    auto scores = at::matmul(q, k.transpose(-2, -1)).mul(1.0 / std::sqrt(static_cast<double>(q.size(-1))));  // (B, H, T, S)
    const double neg_inf = -std::numeric_limits<double>::infinity();
    if (is_causal) {
        auto T = q.size(-2), S = k.size(-2);
        auto future = at::ones({T, S}, q.options().dtype(at::kBool)).triu(1);
        scores = scores.masked_fill(future, neg_inf);
    }
    if (mask.defined()) {
        // A bool mask says where to attend (true = keep); any other mask is added to the scores.
        scores = mask.scalar_type() == at::kBool ? scores.masked_fill(mask.logical_not(), neg_inf) : scores.add(mask);
    }
    auto weights = at::softmax(scores, -1);
    if (dropout_p > 0) weights = at::dropout(weights, dropout_p, true);
    return at::matmul(weights, v);  // (B, H, T, D)
}

}  // namespace

WB_API int32_t wb_nn_linear(wb_tensor input, wb_tensor weight, wb_tensor bias, wb_tensor* out) {
    WB_GUARD({
        auto &x = wb_ref(input), &w = wb_ref(weight);
        auto b = optional(bias);
#if TORCH_VERSION_MAJOR < 2
        if (wb_linear::applies(x, w, b)) {  // float32 on the CPU: one node over oneDNN's sgemm (wb_linear.cpp)
            *out = wb_wrap(wb_linear::linear(x, w, b));
            return WB_OK;
        }
#endif
        *out = wb_wrap(at::linear(x, w, b));
    })
}

WB_API int32_t wb_nn_softmax(int32_t op, wb_tensor input, int64_t dim, wb_tensor* out) {
    WB_GUARD({
        if (op == SM_SOFTMAX) *out = wb_wrap(at::softmax(wb_ref(input), dim));
        else if (op == SM_LOG_SOFTMAX) *out = wb_wrap(at::log_softmax(wb_ref(input), dim));
        else throw std::invalid_argument("unknown softmax op code " + std::to_string(op));
    })
}

// input (N, C_in, H, W), weight (C_out, C_in / groups, kH, kW); stride, padding, dilation are (h, w) pairs.
WB_API int32_t wb_nn_conv2d(wb_tensor input, wb_tensor weight, wb_tensor bias, const int64_t* stride,
                            const int64_t* padding, const int64_t* dilation, int64_t groups, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::conv2d(wb_ref(input), wb_ref(weight), optional(bias), pair(stride), pair(padding),
                                       pair(dilation), groups)))
}

// Max or average pooling over (N, C, H, W); kernel, stride, padding are (h, w) pairs.
WB_API int32_t wb_nn_pool2d(int32_t op, wb_tensor input, const int64_t* kernel, const int64_t* stride,
                            const int64_t* padding, int32_t ceil_mode, wb_tensor* out) {
    WB_GUARD({
        auto& x = wb_ref(input);
        if (op == P_MAX) *out = wb_wrap(at::max_pool2d(x, pair(kernel), pair(stride), pair(padding), {1, 1}, ceil_mode != 0));
        else if (op == P_AVG) *out = wb_wrap(at::avg_pool2d(x, pair(kernel), pair(stride), pair(padding), ceil_mode != 0));
        else throw std::invalid_argument("unknown pool op code " + std::to_string(op));
    })
}

// Zeroes each value with probability p and scales the rest by 1/(1-p); the identity when not training.
WB_API int32_t wb_nn_dropout(wb_tensor input, double p, int32_t training, wb_tensor* out) {
    WB_GUARD({
        if (p < 0 || p > 1) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
        *out = wb_wrap(at::dropout(wb_ref(input), p, training != 0));
    })
}

// weight (V, D), indices (*) int64 -> (*, D); rows at padding_idx get no gradient (-1: none).
WB_API int32_t wb_nn_embedding(wb_tensor weight, wb_tensor indices, int64_t padding_idx, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::embedding(wb_ref(weight), wb_ref(indices), padding_idx)))
}

WB_API int32_t wb_nn_layer_norm(wb_tensor input, const int64_t* normalized_shape, int64_t ndims, wb_tensor weight,
                                wb_tensor bias, double eps, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::layer_norm(wb_ref(input), wb_dims(normalized_shape, ndims), optional(weight),
                                           optional(bias), eps)))
}

// Training: normalises by the batch's statistics and updates the running ones in place (momentum);
// eval: normalises by the running statistics.
WB_API int32_t wb_nn_batch_norm(wb_tensor input, wb_tensor weight, wb_tensor bias, wb_tensor running_mean,
                                wb_tensor running_var, int32_t training, double momentum, double eps, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::batch_norm(wb_ref(input), optional(weight), optional(bias), optional(running_mean),
                                           optional(running_var), training != 0, momentum, eps, false)))
}

// q (B, H, T, D), k and v (B, H, S, D) -> (B, H, T, D); mask broadcastable to (B, H, T, S).
WB_API int32_t wb_nn_scaled_dot_product_attention(wb_tensor q, wb_tensor k, wb_tensor v, wb_tensor mask,
                                                  double dropout_p, int32_t is_causal, int32_t by_hand, wb_tensor* out) {
    WB_GUARD({
        if (mask && is_causal) throw std::invalid_argument("give either a mask or is_causal, not both");
#if TORCH_VERSION_MAJOR >= 2
        if (!by_hand) {
            wb_optional<at::Tensor> m = mask ? wb_optional<at::Tensor>(*mask) : WB_NULLOPT;
            *out = wb_wrap(at::scaled_dot_product_attention(wb_ref(q), wb_ref(k), wb_ref(v), m, dropout_p, is_causal != 0));
            return WB_OK;
        }
#endif
#if TORCH_VERSION_MAJOR < 2
        // Causal attention without dropout on float32 CPU tensors (outside autocast, which only
        // attention_by_hand's matmuls follow) is one autograd node over BLAS (wb_attention.cpp).
        if (!by_hand && is_causal && dropout_p == 0 && wb_ref(q).dim() == 4 && wb_ref(k).dim() == 4 && wb_ref(v).dim() == 4 &&
            wb_attention::can_slice(wb_ref(q)) && wb_ref(k).scalar_type() == at::kFloat && wb_ref(v).scalar_type() == at::kFloat &&
            wb_ref(k).device().is_cpu() && wb_ref(v).device().is_cpu() && wb_ref(k).sizes() == wb_ref(v).sizes() &&
            wb_ref(k).size(0) == wb_ref(q).size(0) && wb_ref(k).size(1) == wb_ref(q).size(1) && wb_ref(k).size(3) == wb_ref(q).size(3)) {
            *out = wb_wrap(wb_attention::causal(wb_ref(q), wb_ref(k), wb_ref(v)));
            return WB_OK;
        }
#endif
        *out = wb_wrap(attention_by_hand(wb_ref(q), wb_ref(k), wb_ref(v), optional(mask), dropout_p, is_causal != 0));
    })
}

// A GPT layer's causal self-attention from its one projection: qkv (B, T, 3C), `heads` heads of C / heads
// -> (B, T, C), ready for the output projection. On libtorch 1.x with float32 CPU tensors one autograd
// node (wb_attention.cpp); elsewhere q, k and v are split off as views and go through
// scaled_dot_product_attention as above.
WB_API int32_t wb_nn_causal_self_attention(wb_tensor qkv, int64_t heads, wb_tensor* out) {
    WB_GUARD({
        const auto& x = wb_ref(qkv);
        if (x.dim() != 3) throw std::invalid_argument("qkv must be (B, T, 3C), got " + std::to_string(x.dim()) + " dimensions");
        if (heads <= 0 || x.size(2) % (3 * heads) != 0)
            throw std::invalid_argument("qkv's last dimension " + std::to_string(x.size(2)) + " is not 3 x heads (" +
                                        std::to_string(heads) + ") x head size");
#if TORCH_VERSION_MAJOR < 2
        if (wb_attention::can_slice(x) && x.size(1) > 0) {
            *out = wb_wrap(wb_attention::packed(x, heads));
            return WB_OK;
        }
#endif
        const int64_t B = x.size(0), T = x.size(1), C = x.size(2) / 3;
        auto parts = x.split(C, 2);
        auto split_heads = [&](const at::Tensor& m) { return m.view({B, T, heads, C / heads}).transpose(1, 2); };
        at::Tensor y;
#if TORCH_VERSION_MAJOR >= 2
        y = at::scaled_dot_product_attention(split_heads(parts[0]), split_heads(parts[1]), split_heads(parts[2]), WB_NULLOPT, 0.0, true);
#else
        y = attention_by_hand(split_heads(parts[0]), split_heads(parts[1]), split_heads(parts[2]), at::Tensor(), 0.0, true);
#endif
        *out = wb_wrap(y.transpose(1, 2).contiguous().view({B, T, C}));
    })
}

// Losses; reduction is at::Reduction (0 none, 1 mean, 2 sum). cross_entropy and nll_loss take class
// indices, input (N, C) or (N, C, d...) with target (N) or (N, d...); weight is per class.
WB_API int32_t wb_nn_loss(int32_t op, wb_tensor input, wb_tensor target, wb_tensor weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing, wb_tensor* out) {
    WB_GUARD({
        auto& x = wb_ref(input);
        auto& y = wb_ref(target);
        if (reduction < 0 || reduction > 2) throw std::invalid_argument("unknown reduction " + std::to_string(reduction));
        switch (op) {
            case L_CROSS_ENTROPY:
                *out = wb_wrap(at::cross_entropy_loss(x, y, optional(weight), reduction, ignore_index, label_smoothing));
                return WB_OK;
            case L_NLL: *out = wb_wrap(at::nll_loss_nd(x, y, optional(weight), reduction, ignore_index)); return WB_OK;
            case L_MSE: *out = wb_wrap(at::mse_loss(x, y, reduction)); return WB_OK;
            case L_BCE_WITH_LOGITS:
                *out = wb_wrap(at::binary_cross_entropy_with_logits(x, y, optional(weight), {}, reduction));
                return WB_OK;
        }
        throw std::invalid_argument("unknown loss op code " + std::to_string(op));
    })
}
