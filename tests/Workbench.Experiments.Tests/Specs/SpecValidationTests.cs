// Malformed specs: each problem is reported with its file, line, column and key path, all at once.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecValidationTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SpecError Single(IReadOnlyList<SpecError> errors, string keyPath)
    {
        var matching = errors.Where(e => e.KeyPath == keyPath).ToList();
        Assert.True(matching.Count == 1, $"expected one error at {keyPath}, got:\n{string.Join("\n", errors)}");
        return matching[0];
    }

    [Fact]
    public void A_misspelt_key_is_reported_at_its_line_and_column_with_a_suggestion()
    {
        var errors = _folder.Errors("name: x\nmodel:\n  kind: mlp\n  hiden: [10]\n");

        var error = Single(errors, "model.hiden");
        Assert.EndsWith("spec.yaml", error.File);
        Assert.Equal((4, 3), (error.Line, error.Column));
        Assert.Contains("did you mean `hidden`?", error.Message);
        Assert.Equal($"{error.File}:4:3: model.hiden: {error.Message}", error.ToString());
    }

    [Fact]
    public void A_key_that_is_a_prefix_of_a_known_key_gets_a_suggestion()
    {
        var errors = _folder.Errors("name: x\ntrain:\n  optim: {lr: 0.1}\n");

        Assert.Contains("did you mean `optimizer`?", Single(errors, "train.optim").Message);
    }

    [Fact]
    public void An_unknown_key_with_no_near_miss_lists_the_keys_expected()
    {
        var errors = _folder.Errors("name: x\ntrain:\n  eval: {zzzzzz: 1}\n");

        var error = Single(errors, "train.eval.zzzzzz");
        Assert.Contains("expected one of: every, batches", error.Message);
        Assert.Equal((3, 10), (error.Line, error.Column));
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_at_once()
    {
        var yaml = """
            name: many-problems
            seed: -1
            device: gpu
            data:
              dataset: mnst
              split: {val: 1.5}
            train:
              batch_size: 0
              optimizer: {name: adamm, lr: 0, betas: [0.9, 1.0]}
              eval: {every: 0}
              checkpoint: {keep: 0}
            sample: {temperature: 0, top_k: 0}
            """;

        var errors = _folder.Errors(yaml);

        var paths = errors.Select(e => e.KeyPath).ToHashSet();
        string[] expected = ["seed", "device", "data.dataset", "data.split.val", "train.batch_size", "train.optimizer.name",
                             "train.optimizer.lr", "train.optimizer.betas[1]", "train.eval.every", "train.checkpoint.keep",
                             "sample.temperature", "sample.top_k"];
        Assert.All(expected, p => Assert.Contains(p, paths));
        Assert.Equal((2, 7), (Single(errors, "seed").Line, Single(errors, "seed").Column));
        Assert.Contains("did you mean `mnist`?", Single(errors, "data.dataset").Message);
        Assert.Contains("did you mean `adam`?", Single(errors, "train.optimizer.name").Message);
        Assert.Contains("must be > 0, got 0", Single(errors, "train.optimizer.lr").Message);
        Assert.Equal((9, 48), (Single(errors, "train.optimizer.betas[1]").Line, Single(errors, "train.optimizer.betas[1]").Column));
        var exception = Assert.Throws<SpecException>(() => _folder.Load(yaml));
        Assert.Equal(errors.Count, exception.Message.Split('\n').Length);
    }

    [Fact]
    public void A_value_of_the_wrong_type_says_what_was_expected_and_what_was_found()
    {
        var errors = _folder.Errors("name: x\ntrain:\n  batch_size: \"128\"\n  epochs: 2.5\n  optimizer: {lr: fast}\n");

        Assert.Equal("expected an integer, got the string \"128\"", Single(errors, "train.batch_size").Message);
        Assert.Equal("expected an integer, got the number 2.5", Single(errors, "train.epochs").Message);
        Assert.Equal("expected a number, got the string \"fast\"", Single(errors, "train.optimizer.lr").Message);
    }

    [Fact]
    public void A_section_that_is_not_a_mapping_is_a_type_error()
    {
        var errors = _folder.Errors("name: x\ntrain: 5\n");

        Assert.Equal("expected a mapping, got the integer 5", Single(errors, "train").Message);
    }

    [Fact]
    public void A_missing_name_is_reported_at_the_top_of_the_file()
    {
        var error = Single(_folder.Errors("seed: 1\n"), "name");

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("missing", error.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("# only a comment\n", "empty")]
    [InlineData("- a\n- b\n", "must be a mapping")]
    [InlineData("just text\n", "must be a mapping")]
    public void An_empty_or_non_mapping_file_is_an_error(string yaml, string expected)
    {
        var error = Assert.Single(_folder.Errors(yaml));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Broken_yaml_syntax_is_reported_with_its_position()
    {
        var error = Assert.Single(_folder.Errors("name: x\ntrain: {batch_size: 4\n"));

        Assert.True(error.Line >= 2, error.ToString());
        Assert.DoesNotContain("(Line:", error.Message);
    }

    [Fact]
    public void A_model_key_of_another_kind_says_which_kinds_take_it()
    {
        var errors = _folder.Errors("name: x\nmodel:\n  kind: mlp\n  channels: [8]\n  n_head: 2\n");

        Assert.Equal("model kind `mlp` does not take `channels`; it is a key of cnn", Single(errors, "model.channels").Message);
        Assert.Equal("model kind `mlp` does not take `n_head`; it is a key of gpt", Single(errors, "model.n_head").Message);
        Assert.Equal((4, 3), (Single(errors, "model.channels").Line, Single(errors, "model.channels").Column));
    }

    [Fact]
    public void Linear_models_take_no_model_keys_but_kind()
    {
        var error = Single(_folder.Errors("name: x\nmodel: {kind: linear, activation: relu}\n"), "model.activation");

        Assert.Contains("it is a key of mlp, cnn, perceptron, char-mlp", error.Message);
    }

    [Theory]
    [InlineData("data: {dataset: mnist}\nmodel: {kind: gpt}", "model.kind", "does not fit dataset `mnist`")]
    [InlineData("data: {dataset: names}\nmodel: {kind: mlp}\ntrain: {max_steps: 10}", "model.kind", "it takes char-mlp, gpt")]
    [InlineData("data: {dataset: names}\ntrain: {max_steps: 10}", "data.dataset", "set model.kind")]
    [InlineData("data: {dataset: xor}\nmodel: {kind: cnn}", "model.kind", "it takes mlp, perceptron, linear")]
    [InlineData("data: {dataset: linreg}\nmodel: {kind: perceptron}", "model.kind", "it takes mlp, linear")]
    [InlineData("model: {kind: mlp}\ntrain: {stage: pretrain, max_steps: 5}", "train.stage", "`mlp` trains from scratch with `supervised`")]
    [InlineData("data: {dataset: names}\nmodel: {kind: gpt}\ntrain: {stage: supervised, max_steps: 5}", "train.stage", "`gpt` trains from scratch with `pretrain`")]
    [InlineData("data: {dataset: names}\nmodel: {kind: gpt}", "train.max_steps", "pretrain run needs max_steps")]
    [InlineData("data: {dataset: text}\nmodel: {kind: char-mlp}\ntrain: {max_steps: 5}", "data.path", "needs data.path")]
    [InlineData("data: {dataset: sotu}\nmodel: {kind: gpt, n_embd: 100, n_head: 3}\ntrain: {max_steps: 5}", "model.n_embd", "divisible by n_head")]
    [InlineData("train: {batch_size: 10, grad_accum: 3}", "train.grad_accum", "must divide batch_size (10)")]
    [InlineData("train: {max_steps: 50, schedule: {name: cosine, warmup_steps: 50}}", "train.schedule.warmup_steps", "must be below train.max_steps (50)")]
    [InlineData("data: {split: {val: 0.6, test: 0.5}}", "data.split.test", "val + test must be < 1")]
    [InlineData("data: {dataset: xor, split: {val: 0.5}}\nmodel: {kind: perceptron}", "data.split.val", "must be 0")]
    [InlineData("data: {dataset: linreg, split: {test: official}}\nmodel: {kind: linear}", "data.split.test", "has no official test set")]
    [InlineData("train: {schedule: {name: step}}", "train.schedule.name", "needs schedule.step_size")]
    [InlineData("data: {tokenizer: {kind: bpe}}", "data.tokenizer.vocab_size", "needs vocab_size")]
    public void Cross_field_rules_are_checked_and_located(string body, string keyPath, string expected)
    {
        var error = Single(_folder.Errors("name: x\n" + body + "\n"), keyPath);

        Assert.Contains(expected, error.Message);
        Assert.True(error.Line >= 1, error.ToString());
    }

    [Fact]
    public void An_unknown_model_kind_is_reported_alone_without_complaints_about_its_keys()
    {
        var errors = _folder.Errors("name: x\nmodel: {kind: transformer, n_head: 2}\n");

        var error = Assert.Single(errors);
        Assert.Equal(("model.kind", 2, 15), (error.KeyPath, error.Line, error.Column));
        Assert.StartsWith("unknown model kind `transformer` (expected mlp, cnn,", error.Message);
    }

    [Fact]
    public void An_unknown_dataset_is_not_also_reported_as_misfitting_the_model()
    {
        var error = Assert.Single(_folder.Errors("name: x\ndata: {dataset: cifar}\nmodel: {kind: gpt}\ntrain: {max_steps: 5}\n"));

        Assert.Equal("data.dataset", error.KeyPath);
    }

    [Theory]
    [InlineData("metric: {name: val/accurcy}", "metric.name",
        "unknown metric `val/accurcy`; did you mean `val/acc`? (stage `supervised` on `mnist` evaluates val/acc, val/loss; docs/spec-reference.md lists every metric)")]
    [InlineData("metric: {name: best/val/loss}", "metric.name",
        "unknown metric `best/val/loss` (stage `supervised` on `mnist` evaluates val/acc, val/loss; docs/spec-reference.md lists every metric)")]
    [InlineData("metric: {name: rewards/margin}", "metric.name",
        "unknown metric `rewards/margin`; did you mean `rewards/margins`? (stage `supervised` on `mnist` evaluates val/acc, val/loss; docs/spec-reference.md lists every metric)")]
    [InlineData("metric: {name: reward}", "metric.name",
        "stage `supervised` on `mnist` does not evaluate `reward` (it evaluates val/acc, val/loss)")]
    [InlineData("metric: {name: rewards/margins, goal: max}", "metric.name",
        "stage `supervised` on `mnist` does not evaluate `rewards/margins` (it evaluates val/acc, val/loss)")]
    [InlineData("data: {dataset: linreg}\nmodel: {kind: linear}\nmetric: {name: val/acc}", "metric.name",
        "stage `supervised` on `linreg` does not evaluate `val/acc` (it evaluates val/loss)")]
    [InlineData("metric: {name: test/acc}", "metric.name",
        "stage `supervised` on `mnist` does not evaluate `test/acc` (it evaluates val/acc, val/loss)")]
    [InlineData("data: {dataset: sotu}\nmodel: {kind: gpt}\ntrain: {max_steps: 9}\nmetric: {name: val/acc}", "metric.name",
        "stage `pretrain` on `sotu` does not evaluate `val/acc` (it evaluates val/loss, train/eval_loss)")]
    [InlineData("metric: {name: val/loss, goal: max}", "metric.goal",
        "`val/loss` is best at its lowest, so its goal is `min`, not `max`")]
    [InlineData("precision: fp16", "precision",
        "fp16 needs loss scaling (a gradient scaler), which is not built yet; use bf16, which needs none (CPUs, and NVIDIA GPUs from Ampere on)")]
    public void A_metric_the_stage_never_evaluates_or_a_precision_not_built_is_an_error_before_training(string lines, string path, string message)
    {
        var error = Single(_folder.Errors($"name: x\n{lines}\n"), path);

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("device: cuda:1", true)]
    [InlineData("device: cuda", true)]
    [InlineData("device: cuda:x", false)]
    [InlineData("precision: bf16", true)]
    [InlineData("precision: fp8", false)]
    [InlineData("model: {activation: gelu}", true)]
    [InlineData("model: {activation: swish}", false)]
    [InlineData("metric: {name: val/loss, goal: lowest}", false)]
    [InlineData("train: {schedule: {name: cosine}}", true)]
    [InlineData("train: {schedule: {name: exp}}", false)]
    [InlineData("threads: 0", false)]
    [InlineData("model: {dropout: 1.0}", false)]
    [InlineData("train: {optimizer: {lr: .inf}}", false)]
    [InlineData("train: {epochs: 0}", false)]
    [InlineData("train: {max_steps: 0}", false)]
    public void Enum_values_and_ranges_are_enforced(string line, bool valid)
    {
        var yaml = $"name: x\n{line}\n";

        if (valid) _folder.Load(yaml);
        else Assert.NotEmpty(_folder.Errors(yaml));
    }

    [Fact]
    public void A_bpe_vocabulary_smaller_than_its_bytes_and_specials_is_refused_with_the_minimum()
    {
        var errors = _folder.Errors("name: x\ndata:\n  dataset: sotu\n  tokenizer: {kind: bpe, vocab_size: 100}\nmodel: {kind: gpt}\ntrain: {max_steps: 10}\n");

        var error = Single(errors, "data.tokenizer.vocab_size");
        Assert.Contains("must be >= 260, got 100", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void A_gpt2_tokenizer_with_another_vocabulary_size_is_refused_with_gpt2s()
    {
        var errors = _folder.Errors("name: x\ndata:\n  dataset: sotu\n  tokenizer: {kind: gpt2, vocab_size: 4096}\nmodel: {kind: gpt}\ntrain: {max_steps: 10}\n");

        var error = Single(errors, "data.tokenizer.vocab_size");
        Assert.Contains("GPT-2's fixed vocabulary of 50257 tokens; leave vocab_size out or set it to 50257, got 4096", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("{kind: gpt2}")]
    [InlineData("{kind: gpt2, vocab_size: 50257}")]
    public void A_gpt2_tokenizer_resolves_to_gpt2s_vocabulary_size(string tokenizer)
    {
        var spec = _folder.Load($"name: x\ndata: {{dataset: sotu, tokenizer: {tokenizer}}}\nmodel: {{kind: gpt}}\ntrain: {{max_steps: 10}}\n");

        Assert.Equal(new TokenizerSpec("gpt2", 50257), spec.Data.Tokenizer);
    }

    [Fact]
    public void An_integer_too_large_for_its_key_says_so_rather_than_that_it_is_too_small()
    {
        var errors = _folder.Errors("name: x\nmodel: {kind: mlp, hidden: [99999999999]}\n");

        var message = Single(errors, "model.hidden[0]").Message;
        Assert.Contains("at most 2147483647", message);
        Assert.Contains("got 99999999999", message);
    }
}
