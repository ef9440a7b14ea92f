// The reward model (a GPT trunk with a scalar head) against PyTorch: the score at each row's last real token and
// every parameter's gradient; loading a GPT's weights as its trunk, saving and loading its own; padding; and a
// sanity run in which it learns four preference pairs.
using Workbench.Models.PostTraining;
using Workbench.Models.Tests.PostTraining;
using Workbench.Torch;
using Workbench.Torch.Optim;

namespace Workbench.Models.Tests;

public sealed class ScalarHeadGptTests
{
    // make_posttraining_fixture.py's reward model: vocab 32, block 16, 2 layers, 2 heads, n_embd 16, biases.
    private static readonly GptConfig FixtureConfig = new(32, 16, 2, 2, 16, Dropout: 0, Bias: true);

    [Fact]
    public void Scores_at_the_last_real_token_and_every_gradient_match_torch() =>
        PostTrainingFixture.Run(f =>
        {
            // Given torch's weights, loaded strictly (so the state dict names trunk.* and head.* as torch's were saved)
            using var model = new ScalarHeadGpt(FixtureConfig);
            model.LoadStateDict(f.Under("rm.param."));

            // When it scores a right-padded batch and rows 0, 1 are preferred to rows 2, 3
            var scores = model.Score(f["rm.x"], f["rm.lengths"]);                               // (4)
            RewardLoss.Compute(scores.Narrow(0, 0, 2), scores.Narrow(0, 2, 2)).Loss.Backward();

            // Then the scores and every parameter's gradient are torch's
            f.Expect("rm.scores", scores);
            foreach (var (name, p) in model.NamedParameters()) f.Expect($"rm.grad.{name}", p.Grad()!);
        });

    [Fact]
    public void It_starts_from_a_gpt_state_dict_and_its_trunk_then_gives_that_gpt_s_logits()
    {
        using var scope = TensorScope.Begin();
        using var gpt = TinyModels.Gpt(seed: 3);
        using var model = new ScalarHeadGpt(gpt.Config);           // seeded differently: its trunk starts elsewhere
        var ids = TinyModels.Ids(1, 4, 2, 7);

        model.LoadTrunk(gpt.StateDict());

        Assert.Equal(TinyModels.Evaluate(gpt, ids), TinyModels.Evaluate(model.Trunk, ids));
    }

    [Fact]
    public void Weights_of_another_gpt_shape_are_refused_naming_the_trunk_and_the_tensor()
    {
        using var scope = TensorScope.Begin();
        using var gpt = TinyModels.Gpt(embedding: 8);
        using var model = Reward(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => model.LoadTrunk(gpt.StateDict()));
        Assert.Contains("reward model's trunk", e.Message);
        Assert.Contains("wte.weight", e.Message);
    }

    [Fact]
    public void Its_own_state_dict_saved_and_loaded_gives_the_same_scores()
    {
        var before = TensorCensus.Take();
        var path = Path.Combine(Path.GetTempPath(), $"wb-reward-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var scope = TensorScope.Begin();
            var (ids, lengths) = (TinyModels.Ids([1, 4, 2, 7, 3, 5, 0, 0], 2, 4), Tensor.From([4L, 2L], 2));
            using var saved = Reward(seed: 1);
            SafeTensors.Save(path, saved.StateDict());
            using var loaded = Reward(seed: 2);

            loaded.LoadStateDict(SafeTensors.Load(path));

            Assert.Contains("head.weight", saved.StateDict().Keys);
            Assert.Equal(Scores(saved, ids, lengths), Scores(loaded, ids, lengths));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(before, TensorCensus.Take());
    }

    [Fact]
    public void As_a_value_model_it_gives_at_each_position_the_score_of_the_prefix_that_ends_there()
    {
        using var scope = TensorScope.Begin();
        using var model = Reward(seed: 1);
        var ids = TinyModels.Ids([5, 1, 9, 7, 2, 4, 3, 8], 2, 4);
        model.Eval();
        using var noGrad = new NoGrad();

        var values = model.Scores(ids).ToFloatArray();                                      // (2, 4)

        for (var t = 0; t < 4; t++)
            Assert.Equal(Scores(model, ids, Tensor.From([t + 1L, t + 1L], 2)), new[] { values[t], values[4 + t] });
    }

    [Fact]
    public void A_value_model_starts_from_a_reward_model_whole_or_from_a_gpt_as_its_trunk()
    {
        using var scope = TensorScope.Begin();
        var (ids, lengths) = (TinyModels.Ids([1, 4, 2, 7, 3, 5, 0, 0], 2, 4), Tensor.From([4L, 2L], 2));
        using var rewardModel = Reward(seed: 1);
        using var gpt = TinyModels.Gpt(seed: 3);
        using var fromReward = Reward(seed: 2);
        using var fromGpt = Reward(seed: 4);
        var freshHead = fromGpt.StateDict()["head.weight"].ToFloatArray();

        fromReward.Initialize(rewardModel.StateDict());
        fromGpt.Initialize(gpt.StateDict());

        Assert.Equal(Scores(rewardModel, ids, lengths), Scores(fromReward, ids, lengths));
        Assert.Equal(TinyModels.Evaluate(gpt, ids), TinyModels.Evaluate(fromGpt.Trunk, ids));
        Assert.Equal(freshHead, fromGpt.StateDict()["head.weight"].ToFloatArray());
    }

    [Fact]
    public void Tokens_after_a_row_s_length_do_not_change_its_score()
    {
        using var scope = TensorScope.Begin();
        using var model = Reward(seed: 1);
        var lengths = Tensor.From([3L], 1);
        var padded = Scores(model, TinyModels.Ids([5, 1, 9, 0, 0, 0], 1, 6), lengths);
        var otherPadding = Scores(model, TinyModels.Ids([5, 1, 9, 7, 2, 4], 1, 6), lengths);
        var unpadded = Scores(model, TinyModels.Ids(5, 1, 9), lengths);
        Assert.Equal(padded, otherPadding);
        Close.Values(unpadded.Select(v => (double)v).ToList(), padded.Select(v => (double)v).ToList(), "score without padding");
    }

    [Fact]
    public void A_tiny_reward_model_learns_four_preference_pairs_in_a_few_dozen_adam_steps()
    {
        // Given four pairs of right-padded answers of different lengths, each pair to be told apart by its content
        using var scope = TensorScope.Begin();
        using var model = Reward(seed: 2);
        var chosen = TinyModels.Ids([1, 2, 3, 0, 4, 4, 0, 0, 7, 8, 9, 10, 2, 0, 0, 0], 4, 4);
        var rejected = TinyModels.Ids([3, 2, 1, 0, 5, 5, 5, 0, 10, 9, 8, 7, 6, 0, 0, 0], 4, 4);
        var (chosenLengths, rejectedLengths) = (Tensor.From([3L, 2L, 4L, 1L], 4), Tensor.From([3L, 3L, 4L, 1L], 4));
        using var optimizer = new AdamW(model.Parameters(), 1e-2, weightDecay: 0);
        Assert.True(Accuracy() < 1, "the untrained model already ranks every pair right: the test would prove nothing");

        // When it trains on the Bradley-Terry loss
        for (var step = 0; step < 40; step++)
        {
            using var stepScope = TensorScope.Begin();
            var loss = RewardLoss.Compute(model.Score(chosen, chosenLengths), model.Score(rejected, rejectedLengths)).Loss;
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
        }

        // Then it ranks every chosen answer above its rejected one
        Assert.Equal(1.0, Accuracy());

        double Accuracy()
        {
            using var noGrad = new NoGrad();
            return RewardLoss.Compute(model.Score(chosen, chosenLengths), model.Score(rejected, rejectedLengths)).Accuracy.Item();
        }
    }

    private static ScalarHeadGpt Reward(long seed)
    {
        Torch.Torch.ManualSeed(seed);
        return new ScalarHeadGpt(new GptConfig(11, 16, 2, 2, 16, Dropout: 0, Bias: false));
    }

    private static float[] Scores(ScalarHeadGpt model, Tensor ids, Tensor lengths)
    {
        model.Eval();
        using var noGrad = new NoGrad();
        return model.Score(ids, lengths).ToFloatArray();
    }
}
