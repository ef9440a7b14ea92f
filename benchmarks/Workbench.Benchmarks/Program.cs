// Entry point for every BenchmarkDotNet benchmark in this assembly:
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Matmul*'
// and `-- --rollout-prompts PATH`, which writes the prompts RolloutBenchmarks and generate.py --rollout share.
using BenchmarkDotNet.Running;
using Workbench.Benchmarks;

if (args is ["--rollout-prompts", var path])
{
    RolloutBenchmarks.WritePrompts(path);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
