// Element-wise ops, dispatched by op code so that one export serves a family of same-shaped ops.
// The codes must match Workbench.Torch's UnaryOp/BinaryOp enums (Native/ElementwiseOps.cs).
#include <cmath>
#include "wb_common.h"

#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

namespace {

enum UnaryOp : int32_t {
    U_NEG = 0, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_ABS, U_TANH, U_SIGMOID, U_RELU, U_GELU,
    U_SILU, U_SIN, U_COS, U_FLOOR, U_CEIL, U_ROUND, U_SIGN, U_LOGICAL_NOT, U_SQUARE, U_RECIPROCAL,
    U_LOG1P, U_EXPM1, U_ISNAN, U_ISFINITE, U_GELU_TANH, U_LOG_SIGMOID,
};

enum BinaryOp : int32_t {
    B_ADD = 0, B_SUB, B_MUL, B_DIV, B_POW, B_EQ, B_NE, B_LT, B_LE, B_GT,
    B_GE, B_MAXIMUM, B_MINIMUM, B_REMAINDER, B_LOGICAL_AND, B_LOGICAL_OR, B_MATMUL, B_BMM, B_ATAN2,
};

at::Tensor unary(int32_t op, const at::Tensor& a) {
    switch (op) {
        case U_NEG: return a.neg();
        case U_EXP: return a.exp();
        case U_LOG: return a.log();
        case U_SQRT: return a.sqrt();
        case U_RSQRT: return a.rsqrt();
        case U_ABS: return a.abs();
        case U_TANH: return a.tanh();
        case U_SIGMOID: return a.sigmoid();
        case U_RELU: return a.relu();
        case U_GELU: return at::gelu(a);
        case U_SILU: return at::silu(a);
        case U_SIN: return a.sin();
        case U_COS: return a.cos();
        case U_FLOOR: return a.floor();
        case U_CEIL: return a.ceil();
        case U_ROUND: return a.round();
        case U_SIGN: return a.sign();
        case U_LOGICAL_NOT: return a.logical_not();
        case U_SQUARE: return a.square();
        case U_RECIPROCAL: return a.reciprocal();
        case U_LOG1P: return a.log1p();
        case U_EXPM1: return a.expm1();
        case U_ISNAN: return a.isnan();
        case U_ISFINITE: return a.isfinite();
        case U_GELU_TANH: return at::gelu(a, "tanh");
        case U_LOG_SIGMOID: return at::log_sigmoid(a);
    }
    throw std::invalid_argument("unknown unary op code " + std::to_string(op));
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b) {
    switch (op) {
        case B_ADD: return a.add(b);
        case B_SUB: return a.sub(b);
        case B_MUL: return a.mul(b);
        case B_DIV: return a.div(b);
        case B_POW: return a.pow(b);
        case B_EQ: return a.eq(b);
        case B_NE: return a.ne(b);
        case B_LT: return a.lt(b);
        case B_LE: return a.le(b);
        case B_GT: return a.gt(b);
        case B_GE: return a.ge(b);
        case B_MAXIMUM: return at::maximum(a, b);
        case B_MINIMUM: return at::minimum(a, b);
        case B_REMAINDER: return a.remainder(b);
        case B_LOGICAL_AND: return a.logical_and(b);
        case B_LOGICAL_OR: return a.logical_or(b);
        case B_MATMUL: return a.matmul(b);
        case B_BMM: return a.bmm(b);
        case B_ATAN2: return a.atan2(b);
    }
    throw std::invalid_argument("unknown binary op code " + std::to_string(op));
}

// Scalars cross the ABI as double. A whole number meeting an integer tensor becomes an int64
// scalar, so `ids + 1` stays int64 as in Python (`ids + 1`), where a double would promote to float.
at::Scalar operand(const at::Tensor& t, double s) {
    bool integral = at::isIntegralType(t.scalar_type(), /*includeBool=*/false);
    if (integral && std::trunc(s) == s && std::fabs(s) < 9.2e18) return at::Scalar(static_cast<int64_t>(s));
    return at::Scalar(s);
}

at::Tensor binary_scalar(int32_t op, const at::Tensor& a, const at::Scalar& s) {
    switch (op) {
        case B_ADD: return a.add(s);
        case B_SUB: return a.sub(s);
        case B_MUL: return a.mul(s);
        case B_DIV: return a.div(s);
        case B_POW: return a.pow(s);
        case B_EQ: return a.eq(s);
        case B_NE: return a.ne(s);
        case B_LT: return a.lt(s);
        case B_LE: return a.le(s);
        case B_GT: return a.gt(s);
        case B_GE: return a.ge(s);
        case B_REMAINDER: return a.remainder(s);
    }
    throw std::invalid_argument("op code " + std::to_string(op) + " takes no scalar operand");
}

void binary_(int32_t op, at::Tensor& a, const at::Tensor& b) {
    switch (op) {
        case B_ADD: a.add_(b); return;
        case B_SUB: a.sub_(b); return;
        case B_MUL: a.mul_(b); return;
        case B_DIV: a.div_(b); return;
    }
    throw std::invalid_argument("op code " + std::to_string(op) + " has no in-place form");
}

void binary_scalar_(int32_t op, at::Tensor& a, const at::Scalar& s) {
    switch (op) {
        case B_ADD: a.add_(s); return;
        case B_SUB: a.sub_(s); return;
        case B_MUL: a.mul_(s); return;
        case B_DIV: a.div_(s); return;
    }
    throw std::invalid_argument("op code " + std::to_string(op) + " has no in-place scalar form");
}

}  // namespace

// An out-of-place op on tensors that need no gradient has nothing for autograd to record: its
// result is the same with the autograd and view-tracking layers of the dispatcher skipped, and
// skipping them takes a tenth off a tiny op. (In-place ops keep them: they bump version counters.)
#define WB_BELOW_AUTOGRAD(needs_grad)                                         \
    wb_optional<at::AutoDispatchBelowADInplaceOrView> below_autograd;        \
    if (!(needs_grad)) below_autograd.emplace();

WB_API int32_t wb_unary(int32_t op, wb_tensor a, wb_tensor* out) {
    WB_GUARD({
        auto& x = wb_ref(a);
        WB_BELOW_AUTOGRAD(x.requires_grad())
        *out = wb_wrap(unary(op, x));
    })
}

WB_API int32_t wb_binary(int32_t op, wb_tensor a, wb_tensor b, wb_tensor* out) {
    WB_GUARD({
        auto& x = wb_ref(a);
        auto& y = wb_ref(b);
        WB_BELOW_AUTOGRAD(x.requires_grad() || y.requires_grad())
        *out = wb_wrap(binary(op, x, y));
    })
}

WB_API int32_t wb_binary_scalar(int32_t op, wb_tensor a, double s, wb_tensor* out) {
    WB_GUARD({
        auto& x = wb_ref(a);
        WB_BELOW_AUTOGRAD(x.requires_grad())
        *out = wb_wrap(binary_scalar(op, x, operand(x, s)));
    })
}

WB_API int32_t wb_binary_(int32_t op, wb_tensor a, wb_tensor b) { WB_GUARD(binary_(op, wb_ref(a), wb_ref(b))) }

WB_API int32_t wb_binary_scalar_(int32_t op, wb_tensor a, double s) {
    WB_GUARD(binary_scalar_(op, wb_ref(a), operand(wb_ref(a), s)))
}

// a += alpha * b, in place (the optimizers' building block).
WB_API int32_t wb_add_scaled_(wb_tensor a, wb_tensor b, double alpha) { WB_GUARD(wb_ref(a).add_(wb_ref(b), alpha)) }

// a = a * mul + b * alpha... kept explicit for the optimizers: a += value * b * c and a += value * b / c.
WB_API int32_t wb_addcmul_(wb_tensor a, wb_tensor b, wb_tensor c, double value) {
    WB_GUARD(wb_ref(a).addcmul_(wb_ref(b), wb_ref(c), value))
}

WB_API int32_t wb_addcdiv_(wb_tensor a, wb_tensor b, wb_tensor c, double value) {
    WB_GUARD(wb_ref(a).addcdiv_(wb_ref(b), wb_ref(c), value))
}

WB_API int32_t wb_fill_(wb_tensor a, double value) { WB_GUARD(wb_ref(a).fill_(value)) }

WB_API int32_t wb_zero_(wb_tensor a) { WB_GUARD(wb_ref(a).zero_()) }

WB_API int32_t wb_clamp(wb_tensor a, double min, double max, int32_t has_min, int32_t has_max, wb_tensor* out) {
    WB_GUARD({
        wb_optional<at::Scalar> lo = has_min ? wb_optional<at::Scalar>(min) : WB_NULLOPT;
        wb_optional<at::Scalar> hi = has_max ? wb_optional<at::Scalar>(max) : WB_NULLOPT;
        *out = wb_wrap(at::clamp(wb_ref(a), lo, hi));
    })
}

WB_API int32_t wb_where(wb_tensor cond, wb_tensor a, wb_tensor b, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::where(wb_ref(cond), wb_ref(a), wb_ref(b))))
}
