// Canonical JSON, config_hash and group_hash, and the round trips runs rely on (JSON and YAML).
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecHashTests : IDisposable
{
    private const string Spec = """
        name: hashed
        seed: 3
        tags: [a, b]
        data: {dataset: mnist, split: {val: 0.05}}
        model: {kind: cnn, channels: [8, 16]}
        train:
          optimizer: {name: adamw, lr: 3.0e-4, weight_decay: 0.01}
          schedule: {name: cosine, warmup_steps: 100, min_lr: 1.0e-5}
          batch_size: 64
          grad_accum: 2
          max_steps: 1000
          grad_clip: 1.0
        """;

    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Canonical_json_sorts_keys_and_writes_numbers_in_shortest_form()
    {
        var json = SpecJson.Canonical(_folder.Load(Spec));

        Assert.StartsWith("{\"baseline\":null,\"data\":{\"dataset\":\"mnist\",\"path\":null,\"split\":{\"test\":\"official\",\"val\":0.05}", json);
        Assert.Contains("\"lr\":0.0003,", json);
        Assert.Contains("\"min_lr\":1E-05,", json);
        Assert.Contains("\"grad_clip\":1,", json);
        Assert.Contains("\"batch_size\":64,", json);
        Assert.DoesNotContain(" ", json);
    }

    [Fact]
    public void Hashes_do_not_change_when_keys_are_reordered_or_defaults_are_spelt_out()
    {
        var reordered = """
            train:
              max_steps: 1000
              grad_clip: 1
              grad_accum: 2
              batch_size: 64
              schedule: {min_lr: 0.00001, warmup_steps: 100, name: cosine}
              optimizer: {weight_decay: 0.01, lr: 0.0003, name: adamw, betas: [0.9, 0.999]}
            model: {channels: [8, 16], kind: cnn, kernel: 3}
            data: {split: {val: 0.05, test: official}, dataset: mnist}
            seed: 3
            name: other-name
            tags: [c]
            notes: a note
            baseline: some-run
            """;

        var a = _folder.Load(Spec);
        var b = _folder.Load(reordered);

        Assert.Equal(SpecJson.ConfigHash(a), SpecJson.ConfigHash(b));
        Assert.Equal(SpecJson.GroupHash(a), SpecJson.GroupHash(b));
        Assert.Matches("^[0-9a-f]{64}$", SpecJson.ConfigHash(a));
    }

    [Fact]
    public void Specs_differing_only_by_seed_share_group_hash_but_not_config_hash()
    {
        var a = _folder.Load(Spec);
        var b = _folder.Load(Spec, "seed=4");

        Assert.NotEqual(SpecJson.ConfigHash(a), SpecJson.ConfigHash(b));
        Assert.Equal(SpecJson.GroupHash(a), SpecJson.GroupHash(b));
    }

    [Fact]
    public void Runs_started_from_seeds_of_one_group_share_group_hash_but_not_config_hash()
    {
        // Given one second stage started from two first-stage runs (of two seeds, one group), with its own seed each
        var fromSeed1 = _folder.Load(Spec, "train.init_from=run00001", "seed=1");
        var fromSeed2 = _folder.Load(Spec, "train.init_from=run00002", "seed=2");
        var fromElsewhere = _folder.Load(Spec, "train.init_from=run00003", "seed=2");

        // Then they are one group when the parents are one group, and another when the parent's group differs
        Assert.NotEqual(SpecJson.ConfigHash(fromSeed1), SpecJson.ConfigHash(fromSeed2));
        Assert.Equal(SpecJson.GroupHash(fromSeed1, "parents"), SpecJson.GroupHash(fromSeed2, "parents"));
        Assert.NotEqual(SpecJson.GroupHash(fromSeed2, "parents"), SpecJson.GroupHash(fromElsewhere, "others"));
        Assert.NotEqual(SpecJson.GroupHash(fromSeed1), SpecJson.GroupHash(fromSeed2));
    }

    [Fact]
    public void A_change_to_what_is_trained_changes_both_hashes()
    {
        var a = _folder.Load(Spec);
        var b = _folder.Load(Spec, "train.optimizer.lr=1e-3");

        Assert.NotEqual(SpecJson.ConfigHash(a), SpecJson.ConfigHash(b));
        Assert.NotEqual(SpecJson.GroupHash(a), SpecJson.GroupHash(b));
    }

    [Theory]
    [InlineData("name: x\ndata: {dataset: xor}\nmodel: {kind: perceptron, hidden: 3}\nnotes: \"quote \\\" and\\nnewline\"\n")]
    [InlineData("name: x\ndata: {dataset: text, path: corpus.txt, tokenizer: {kind: bpe, vocab_size: 512}}\nmodel: {kind: gpt}\ntrain: {max_steps: 9}\nsample: {prompt: \"yes\", top_k: 5}\n")]
    [InlineData("name: x\ndata: {dataset: names}\nmodel: {kind: char-mlp, batch_norm: true}\ntrain: {max_steps: 9}\ndevice: cuda:1\nthreads: 4\n")]
    public void A_spec_round_trips_through_canonical_json_and_written_yaml(string yaml)
    {
        var spec = _folder.Load(yaml);

        var fromJson = SpecLoader.FromJson(SpecJson.Canonical(spec));
        var fromYaml = SpecLoader.Load(_folder.Write("config.yaml", SpecYaml.Write(spec)));

        Assert.Equal(spec, fromJson);
        Assert.Equal(spec, fromYaml);
        Assert.Equal(SpecJson.Canonical(spec), SpecJson.Canonical(fromYaml));
    }

    [Fact]
    public void Stored_json_that_breaks_a_rule_is_rejected_with_the_key_path()
    {
        var json = SpecJson.Canonical(_folder.Load(Spec)).Replace("\"batch_size\":64", "\"batch_size\":0");

        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.FromJson(json)).Errors);

        Assert.Equal("stored spec: train.batch_size: must be >= 1, got 0", error.ToString());
    }
}
