// Entry point for every BenchmarkDotNet benchmark in this assembly:
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Matmul*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
