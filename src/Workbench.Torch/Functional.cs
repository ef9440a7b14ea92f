// Stateless neural-network functions (PyTorch's torch.nn.functional): layers and losses call these.
// Shapes follow PyTorch: N batch, C channels, H/W spatial, B/H/T/D attention (batch, heads, time, head dim).
using Workbench.Torch.Native;

namespace Workbench.Torch;

/// <summary>How a loss combines per-element values (the codes are at::Reduction's).</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

public static unsafe class Functional
{
    /// <summary>y = x W^T + b: input (*, in), weight (out, in), bias (out) -> (*, out).</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        var result = Tensor.Wrap(NativeMethods.wb_nn_linear(input.Handle, weight.Handle, Optional(bias), out var h), h, "linear");
        GC.KeepAlive(bias);
        return result;
    }

    public static Tensor Softmax(Tensor input, long dim) =>
        Tensor.Wrap(NativeMethods.wb_nn_softmax(SoftmaxOp.Softmax, input.Handle, dim, out var h), h, "softmax");

    public static Tensor LogSoftmax(Tensor input, long dim) =>
        Tensor.Wrap(NativeMethods.wb_nn_softmax(SoftmaxOp.LogSoftmax, input.Handle, dim, out var h), h, "log_softmax");

    /// <summary>
    /// 2-D convolution: input (N, C_in, H, W), weight (C_out, C_in / groups, kH, kW), bias (C_out)
    /// -> (N, C_out, H_out, W_out). Stride, padding and dilation apply to both spatial dims.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (long H, long W) stride, (long H, long W) padding, (long H, long W) dilation, long groups = 1)
    {
        long* s = stackalloc long[] { stride.H, stride.W };
        long* p = stackalloc long[] { padding.H, padding.W };
        long* d = stackalloc long[] { dilation.H, dilation.W };
        var result = Tensor.Wrap(NativeMethods.wb_nn_conv2d(input.Handle, weight.Handle, Optional(bias), s, p, d, groups, out var h), h, "conv2d");
        GC.KeepAlive(bias);
        return result;
    }

    /// <summary>Max over kernel windows of (N, C, H, W); the stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false) =>
        Pool2d(PoolOp.Max, "max_pool2d", input, kernelSize, stride ?? kernelSize, padding, ceilMode);

    /// <summary>Mean over kernel windows of (N, C, H, W), padding counted as zeros; the stride defaults to the kernel size.</summary>
    public static Tensor AvgPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false) =>
        Pool2d(PoolOp.Avg, "avg_pool2d", input, kernelSize, stride ?? kernelSize, padding, ceilMode);

    private static Tensor Pool2d(PoolOp op, string name, Tensor input, long kernel, long stride, long padding, bool ceilMode)
    {
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        return Tensor.Wrap(NativeMethods.wb_nn_pool2d(op, input.Handle, k, s, p, ceilMode ? 1 : 0, out var h), h, name);
    }

    /// <summary>While training, zeroes each value with probability p and scales the rest by 1/(1-p); otherwise the identity.</summary>
    public static Tensor Dropout(Tensor input, double p, bool training) =>
        Tensor.Wrap(NativeMethods.wb_nn_dropout(input.Handle, p, training ? 1 : 0, out var h), h, "dropout");

    /// <summary>Rows of weight (V, D) for int64 indices (*) -> (*, D); the row at paddingIdx gets no gradient.</summary>
    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIdx = null) =>
        Tensor.Wrap(NativeMethods.wb_nn_embedding(weight.Handle, indices.Handle, paddingIdx ?? -1, out var h), h, "embedding");

    /// <summary>Normalises over the trailing <paramref name="normalizedShape"/> dims, then scales and shifts.</summary>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* s = normalizedShape)
        {
            var result = Tensor.Wrap(NativeMethods.wb_nn_layer_norm(input.Handle, s, normalizedShape.Length, Optional(weight), Optional(bias), eps, out var h), h, "layer_norm");
            GC.KeepAlive(weight);
            GC.KeepAlive(bias);
            return result;
        }
    }

    /// <summary>
    /// Batch norm over (N, C) or (N, C, L...). Training: uses the batch's statistics and updates the running ones
    /// in place (new = (1 - momentum) old + momentum batch, variance unbiased). Eval: uses the running statistics.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                   bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        var result = Tensor.Wrap(NativeMethods.wb_nn_batch_norm(input.Handle, Optional(weight), Optional(bias), Optional(runningMean), Optional(runningVar),
            training ? 1 : 0, momentum, eps, out var h), h, "batch_norm");
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        GC.KeepAlive(runningMean);
        GC.KeepAlive(runningVar);
        return result;
    }

    /// <summary>
    /// softmax(q k^T / sqrt(D) + mask) v: q (B, H, T, D), k and v (B, H, S, D) -> (B, H, T, D). A bool mask marks
    /// where to attend; a float mask is added to the scores. Fused on libtorch 2, written out on 1.13 (same values).
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? mask = null, double dropoutP = 0, bool isCausal = false) =>
        Attention(q, k, v, mask, dropoutP, isCausal, byHand: false);

    /// <summary>
    /// A GPT layer's causal self-attention from its one projection: <paramref name="qkv"/> (B, T, 3C), queries,
    /// keys and values side by side, split into <paramref name="heads"/> heads -> (B, T, C), the heads side by
    /// side again. The same values as splitting q, k and v off, <see cref="ScaledDotProductAttention"/> with
    /// isCausal and joining the heads back, with no copies between: on libtorch 1.x with float32 CPU tensors one
    /// autograd node whose gradient is one (B, T, 3C) tensor.
    /// </summary>
    public static Tensor CausalSelfAttention(Tensor qkv, int heads) =>
        Tensor.Wrap(NativeMethods.wb_nn_causal_self_attention(qkv.Handle, heads, out var h), h, "causal_self_attention");

    /// <summary>The written-out attention, whatever the libtorch version: the reference the fused kernel is checked against.</summary>
    internal static Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? mask, double dropoutP, bool isCausal, bool byHand)
    {
        var result = Tensor.Wrap(NativeMethods.wb_nn_scaled_dot_product_attention(q.Handle, k.Handle, v.Handle, Optional(mask), dropoutP,
            isCausal ? 1 : 0, byHand ? 1 : 0, out var h), h, "scaled_dot_product_attention");
        GC.KeepAlive(mask);
        return result;
    }

    /// <summary>
    /// Cross entropy of logits (N, C) or (N, C, d...) against int64 class indices (N) or (N, d...). Targets equal to
    /// <paramref name="ignoreIndex"/> add nothing (and are left out of the mean); label smoothing mixes in the uniform distribution.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100,
                                      double labelSmoothing = 0, Tensor? weight = null) =>
        Loss(LossOp.CrossEntropy, "cross_entropy", logits, target, weight, reduction, ignoreIndex, labelSmoothing);

    /// <summary>Negative log-likelihood of log-probabilities (N, C) or (N, C, d...) at int64 class indices.</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, Tensor? weight = null) =>
        Loss(LossOp.Nll, "nll_loss", logProbs, target, weight, reduction, ignoreIndex, 0);

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Loss(LossOp.Mse, "mse_loss", input, target, null, reduction, 0, 0);

    /// <summary>Binary cross entropy of logits against targets in [0, 1], computed stably from the logits.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, Tensor? weight = null) =>
        Loss(LossOp.BinaryCrossEntropyWithLogits, "binary_cross_entropy_with_logits", logits, target, weight, reduction, 0, 0);

    private static Tensor Loss(LossOp op, string name, Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex, double labelSmoothing)
    {
        var result = Tensor.Wrap(NativeMethods.wb_nn_loss(op, input.Handle, target.Handle, Optional(weight), (long)reduction, ignoreIndex, labelSmoothing, out var h), h, name);
        GC.KeepAlive(weight);
        return result;
    }

    /// <summary>
    /// A raw handle for an optional tensor argument (null crosses as a null pointer). The caller keeps
    /// the tensor alive across the call with GC.KeepAlive, since a raw handle holds no reference.
    /// </summary>
    internal static IntPtr Optional(Tensor? t) => t?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
}
