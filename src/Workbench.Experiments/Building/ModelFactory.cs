// Builds the model a spec names, sized to its data.
using Workbench.Experiments.Specs;
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Building;

public static class ModelFactory
{
    private const int MnistSide = 28;

    /// <summary>mlp, cnn, perceptron or linear, from <paramref name="inputs"/> features to <paramref name="outputs"/>.</summary>
    public static Layer Supervised(ModelSpec model, int inputs, int outputs) => model.Kind switch
    {
        // mlp is the curriculum's Keras model (Keras's init); the perceptron and linear exercises use PyTorch's.
        "mlp" => new Mlp(inputs, model.Hidden!.ToList(), outputs, Activation.Parse(model.Activation!), model.Dropout ?? 0, MlpInit.Glorot),
        "perceptron" => new Mlp(inputs, model.Hidden!.ToList(), outputs, Activation.Parse(model.Activation!)),
        "linear" => new Mlp(inputs, [], outputs, ActivationKind.Relu),
        "cnn" => new Cnn(MnistSide, model.Channels!.ToList(), model.Kernel!.Value, model.Pool!.Value, model.Hidden!.ToList(), outputs,
            Activation.Parse(model.Activation!), model.Dropout ?? 0),
        _ => throw new ArgumentException($"model kind '{model.Kind}' is not a supervised model"),
    };

    /// <summary>char-mlp or gpt over a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    public static Layer Language(ModelSpec model, int vocabSize) => model.Kind switch
    {
        "char-mlp" => new CharMlp(vocabSize, model.BlockSize!.Value, model.NEmbd!.Value, model.Hidden!.ToList(), model.BatchNorm ?? false,
            Activation.Parse(model.Activation ?? "tanh")),
        "gpt" => new Gpt(new GptConfig(vocabSize, model.BlockSize!.Value, model.NLayer!.Value, model.NHead!.Value, model.NEmbd!.Value,
            model.Dropout ?? 0, model.Bias ?? false)),
        _ => throw new ArgumentException($"model kind '{model.Kind}' is not a language model"),
    };
}
