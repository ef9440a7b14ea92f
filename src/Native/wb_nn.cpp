// Neural-network functions and losses (torch.nn.functional) over ATen.
// Op codes must match Workbench.Torch's enums in Native/NativeMethods.Nn.cs.
#include "wb_common.h"

#include <torch/csrc/api/include/torch/version.h>
#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/custom_function.h>

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

// Causal attention without dropout on the CPU as one autograd node, for libtorch 1.x, which has no
// fused scaled_dot_product_attention: the same products as attention_by_hand, but the scores are
// scaled and masked in place and backward is written out from the saved softmax, so a step keeps one
// (B, H, T, S) tensor per layer instead of four and records one node instead of five. (Running the
// (batch, head) slices one per core instead, each product below OpenBLAS's threading threshold, was
// measured slower on a small GPT: 84 -> 101 ms a step, from per-slice op overhead.)
#if TORCH_VERSION_MAJOR < 2
struct CausalAttention : public torch::autograd::Function<CausalAttention> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& q, const at::Tensor& k,
                              const at::Tensor& v) {
        const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
        auto scores = at::matmul(q, k.transpose(-2, -1));  // (B, H, T, S), a new tensor
        scores.mul_(scale);
        // Top-left aligned, as attention_by_hand and torch's is_causal: query i sees keys 0..i.
        const auto T = q.size(-2), S = k.size(-2);
        scores.masked_fill_(at::ones({T, S}, q.options().dtype(at::kBool)).triu(1), -std::numeric_limits<double>::infinity());
        auto weights = at::_softmax(scores, -1, false);
        ctx->save_for_backward({q, k, v, weights});
        ctx->saved_data["scale"] = scale;
        return at::matmul(weights, v);
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::tensor_list grads) {
        auto saved = ctx->get_saved_variables();
        const auto &q = saved[0], &k = saved[1], &v = saved[2], &weights = saved[3];
        const double scale = ctx->saved_data["scale"].toDouble();
        const auto& dy = grads[0];
        auto dv = at::matmul(weights.transpose(-2, -1), dy);
        auto dscores = at::matmul(dy, v.transpose(-2, -1));  // the softmax output's gradient, then the scores'
        dscores = at::_softmax_backward_data(dscores, weights, -1, weights.scalar_type());
        dscores.mul_(scale);
        auto dq = at::matmul(dscores, k);
        auto dk = at::matmul(dscores.transpose(-2, -1), q);
        return {dq, dk, dv};
    }
};
#endif
}  // namespace

WB_API int32_t wb_nn_linear(wb_tensor input, wb_tensor weight, wb_tensor bias, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::linear(wb_ref(input), wb_ref(weight), optional(bias))))
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
        // Causal attention without dropout on float tensors takes the one-node path (outside autocast,
        // which only attention_by_hand's matmuls follow).
        if (!by_hand && is_causal && dropout_p == 0 && wb_ref(q).device().is_cpu() && wb_ref(q).dim() == 4 && !at::autocast::is_cpu_enabled() && !at::autocast::is_enabled() &&
            wb_ref(q).scalar_type() == wb_ref(k).scalar_type() && wb_ref(q).scalar_type() == wb_ref(v).scalar_type() &&
            at::isFloatingType(wb_ref(q).scalar_type())) {
            *out = wb_wrap(CausalAttention::apply(wb_ref(q), wb_ref(k), wb_ref(v)));
            return WB_OK;
        }
#endif
        *out = wb_wrap(attention_by_hand(wb_ref(q), wb_ref(k), wb_ref(v), optional(mask), dropout_p, is_causal != 0));
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
