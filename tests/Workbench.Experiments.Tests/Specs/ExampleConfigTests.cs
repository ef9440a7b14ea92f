// Every example in configs/ must validate, and the flagship ones say what they promise.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class ExampleConfigTests
{
    internal static readonly string Configs = FindConfigs();

    public static TheoryData<string> ConfigFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Configs, "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public void An_example_config_validates_and_starts_with_a_comment(string file)
    {
        var path = Path.Combine(Configs, file);

        // A pipeline file's stages are resolved for each of its seeds; its name is the file's, less `pipeline-`.
        var name = Workbench.Experiments.Pipelines.PipelineLoader.IsPipeline(path)
            ? "pipeline-" + Workbench.Experiments.Pipelines.PipelineLoader.Load(path).Name
            : SpecLoader.Load(path).Name;

        Assert.StartsWith("# ", File.ReadAllText(path));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), name);
    }

    [Fact]
    public void The_mnist_mlp_is_784_200_100_75_10_with_adam_for_five_epochs()
    {
        var spec = SpecLoader.Load(Path.Combine(Configs, "mnist-mlp.yaml"));

        Assert.Equal(new MlpSpec(ValueList.Of(200, 100, 75), "relu", 0.0), spec.Model);
        Assert.Equal(("adam", 1e-3, 128, 5), (spec.Train.Optimizer.Name, spec.Train.Optimizer.Lr, spec.Train.BatchSize, spec.Train.Epochs));
        Assert.Equal(new SplitSpec(0.1, null), spec.Data.Split);
    }

    [Fact]
    public void The_xor_perceptron_trains_full_batch_with_sgd()
    {
        var spec = SpecLoader.Load(Path.Combine(Configs, "xor-perceptron.yaml"));

        Assert.Equal(("xor", "perceptron", "sgd", 4), (spec.Data.Dataset, spec.Model.Kind, spec.Train.Optimizer.Name, spec.Train.BatchSize));
    }

    [Fact]
    public void The_gpt2_124m_config_has_gpt2_smalls_shape_and_tokenizer_and_asks_for_cuda()
    {
        var spec = SpecLoader.Load(Path.Combine(Configs, "gpt2-124m.yaml"));

        var gpt = Assert.IsType<GptSpec>(spec.Model);
        Assert.Equal((12, 12, 768, 1024, true), (gpt.NLayer, gpt.NHead, gpt.NEmbd, gpt.BlockSize, gpt.Bias));
        Assert.Equal(new TokenizerSpec("gpt2", 50257), spec.Data.Tokenizer);
        Assert.Equal("cuda", spec.Device);
    }

    private static string FindConfigs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var configs = Path.Combine(dir.FullName, "configs");
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")) && Directory.Exists(configs)) return configs;
        }
        throw new DirectoryNotFoundException("configs/ not found above " + AppContext.BaseDirectory);
    }
}
