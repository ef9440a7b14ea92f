// Reductions over a list of dims (an empty list means all dims), dispatched by op code.
// The codes must match Workbench.Torch's ReduceOp enum (Native/ReduceOps.cs).
#include "wb_common.h"

namespace {
enum ReduceOp : int32_t { R_SUM = 0, R_MEAN, R_AMAX, R_AMIN, R_LOGSUMEXP, R_VAR, R_STD, R_PROD, R_NORM };

at::Tensor reduce(int32_t op, const at::Tensor& a, at::IntArrayRef dims, bool keepdim, bool unbiased) {
    std::vector<int64_t> all;
    if (dims.empty()) {
        for (int64_t d = 0; d < a.dim(); d++) all.push_back(d);
        dims = all;
    }
    switch (op) {
        case R_SUM: return a.sum(dims, keepdim);
        case R_MEAN: return a.mean(dims, keepdim);
        case R_AMAX: return a.amax(dims, keepdim);
        case R_AMIN: return a.amin(dims, keepdim);
        case R_LOGSUMEXP: return a.logsumexp(dims, keepdim);
        case R_VAR: return a.var(dims, unbiased, keepdim);
        case R_STD: return a.std(dims, unbiased, keepdim);
        case R_PROD:
            if (dims.size() != 1) throw std::invalid_argument("prod reduces exactly one dim");
            return a.prod(dims[0], keepdim);
        case R_NORM: return at::norm(a, 2, dims, keepdim);
    }
    throw std::invalid_argument("unknown reduce op code " + std::to_string(op));
}
}  // namespace

WB_API int32_t wb_reduce(int32_t op, wb_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, int32_t unbiased,
                         wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(reduce(op, wb_ref(a), wb_dims(dims, ndims), keepdim != 0, unbiased != 0)))
}

// max/min along one dim: values and indices.
WB_API int32_t wb_max_dim(wb_tensor a, int64_t dim, int32_t keepdim, wb_tensor* values, wb_tensor* indices) {
    WB_GUARD({
        auto r = wb_ref(a).max(dim, keepdim != 0);
        *values = wb_wrap(std::get<0>(r));
        *indices = wb_wrap(std::get<1>(r));
    })
}

WB_API int32_t wb_min_dim(wb_tensor a, int64_t dim, int32_t keepdim, wb_tensor* values, wb_tensor* indices) {
    WB_GUARD({
        auto r = wb_ref(a).min(dim, keepdim != 0);
        *values = wb_wrap(std::get<0>(r));
        *indices = wb_wrap(std::get<1>(r));
    })
}

WB_API int32_t wb_argmax(wb_tensor a, int64_t dim, int32_t keepdim, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(wb_ref(a).argmax(dim, keepdim != 0)))
}

WB_API int32_t wb_argmin(wb_tensor a, int64_t dim, int32_t keepdim, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(wb_ref(a).argmin(dim, keepdim != 0)))
}
