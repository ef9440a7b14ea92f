// Indexing ops: selecting, gathering and scattering by index tensors, masks, top-k, sampling.
// The codes of wb_index_op must match Workbench.Torch's IndexOp enum (Native/NativeMethods.Shape.cs).
#include "wb_common.h"

namespace {
enum IndexOp : int32_t { I_INDEX_SELECT = 0, I_GATHER, I_SCATTER, I_SCATTER_ADD, I_INDEX_ADD };

// Index ops take int64 indices; saying so here beats libtorch's message about a 'Long' scalar type.
void check_index(const at::Tensor& index, const char* op) {
    if (index.scalar_type() != at::kLong)
        throw c10::TypeError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                             std::string(op) + " expects int64 indices, got " + std::string(c10::toString(index.scalar_type())));
}
}  // namespace

// index_select/gather: (a, dim, index); scatter/scatter_add/index_add: out-of-place, writing `src`.
WB_API int32_t wb_index_op(int32_t op, wb_tensor a, int64_t dim, wb_tensor index, wb_tensor src, wb_tensor* out) {
    WB_GUARD({
        auto& t = wb_ref(a);
        auto& i = wb_ref(index);
        switch (op) {
            case I_INDEX_SELECT: check_index(i, "index_select"); *out = wb_wrap(t.index_select(dim, i)); return WB_OK;
            case I_GATHER: check_index(i, "gather"); *out = wb_wrap(t.gather(dim, i)); return WB_OK;
            case I_SCATTER: check_index(i, "scatter"); *out = wb_wrap(t.scatter(dim, i, wb_ref(src))); return WB_OK;
            case I_SCATTER_ADD: check_index(i, "scatter_add"); *out = wb_wrap(t.scatter_add(dim, i, wb_ref(src))); return WB_OK;
            case I_INDEX_ADD: check_index(i, "index_add"); *out = wb_wrap(t.index_add(dim, i, wb_ref(src))); return WB_OK;
        }
        throw std::invalid_argument("unknown index op code " + std::to_string(op));
    })
}

WB_API int32_t wb_masked_fill(wb_tensor a, wb_tensor mask, double value, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(wb_ref(a).masked_fill(wb_ref(mask), value)))
}

WB_API int32_t wb_topk(wb_tensor a, int64_t k, int64_t dim, int32_t largest, int32_t sorted, wb_tensor* values,
                       wb_tensor* indices) {
    WB_GUARD({
        auto r = wb_ref(a).topk(k, dim, largest != 0, sorted != 0);
        *values = wb_wrap(std::get<0>(r));
        *indices = wb_wrap(std::get<1>(r));
    })
}

// Draws n category indices per row of (non-negative, unnormalised) probabilities, from the global generator.
WB_API int32_t wb_multinomial(wb_tensor probs, int64_t n, int32_t replacement, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::multinomial(wb_ref(probs), n, replacement != 0)))
}

// (*) int64 class indices -> (*, num_classes) int64; num_classes -1 means max + 1.
WB_API int32_t wb_one_hot(wb_tensor a, int64_t num_classes, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::one_hot(wb_ref(a), num_classes)))
}
