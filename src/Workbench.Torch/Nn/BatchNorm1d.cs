// BatchNorm1d over (N, C) or (N, C, L): learned scale and shift, plus running statistics kept as
// buffers (running_mean, running_var, num_batches_tracked) exactly as PyTorch names and updates them.
namespace Workbench.Torch.Nn;

public sealed class BatchNorm1d : Layer
{
    public BatchNorm1d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures]));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures]));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], ScalarType.Int64));
    }

    public long NumFeatures { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }

    // (N, C) or (N, C, L) -> same shape; in training the running statistics move towards this batch's.
    public override Tensor Forward(Tensor input)
    {
        if (Training)
        {
            // An int64 one: a double scalar cannot be added in place to an int64 tensor.
            using var one = Tensor.Ones([], ScalarType.Int64);
            NumBatchesTracked.Add_(one);
        }
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }
}
