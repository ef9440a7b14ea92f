// The dataset, model-kind and stage tables: the rules that keep them consistent with each other, and
// that each model kind's reader and writer agree with its catalog line.
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Tests.Specs;

namespace Workbench.Experiments.Tests.Catalog;

public sealed class CatalogTablesTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Stages_name_only_catalog_kinds_and_datasets()
    {
        Assert.All(StageTable.All, stage =>
        {
            Assert.All(stage.Kinds, kind => Assert.Contains(kind, ModelKindTable.Names));
            Assert.All(stage.Datasets, dataset => Assert.Contains(dataset, DatasetTable.Names));
        });
    }

    [Fact]
    public void Every_model_kind_is_trained_from_scratch_by_a_built_stage_that_takes_it_on_some_dataset_it_fits()
    {
        Assert.All(ModelKindTable.All, kind =>
        {
            var stage = StageTable.Get(kind.Stage);
            Assert.True(stage.Built, $"{kind.Name}'s stage {stage.Name} is not built");
            Assert.Contains(kind.Name, stage.Kinds);
            Assert.Contains(stage.Datasets, d => kind.Fits(DatasetTable.Get(d)));
        });
    }

    [Fact]
    public void Every_dataset_is_read_by_a_built_stage_and_fits_a_model_kind()
    {
        Assert.All(DatasetTable.All, dataset =>
        {
            Assert.Contains(StageTable.All, s => s.Built && s.Datasets.Contains(dataset.Name));
            Assert.NotEmpty(SpecCatalog.KindsFor(dataset.Name));
        });
    }

    [Fact]
    public void A_name_missing_from_a_table_is_an_error_not_a_default()
    {
        Assert.Contains("known:", Assert.Throws<KeyNotFoundException>(() => DatasetTable.Get("cifar")).Message);
        Assert.Throws<KeyNotFoundException>(() => ModelKindTable.Get("rnn"));
        Assert.Throws<KeyNotFoundException>(() => StageTable.Get("distill"));
        Assert.Throws<KeyNotFoundException>(() => SpecCatalog.KindsFor("cifar"));
        Assert.Throws<KeyNotFoundException>(() => SpecCatalog.ModelKeys("rnn"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_kind_writes_exactly_its_catalog_keys_in_order_and_reads_back_equal(string kind)
    {
        var definition = ModelKindTable.Get(kind);
        var dataset = DatasetTable.All.First(definition.Fits);
        var given = new Dictionary<string, string> { ["name"] = "t", ["data.dataset"] = dataset.Name, ["model.kind"] = kind };
        if (dataset.NeedsPath) given["data.path"] = "corpus.txt";
        if (definition.Stage == "pretrain") given["train.max_steps"] = "5";
        var spec = _folder.Load(Yaml(given));

        Assert.Equal(kind, spec.Model.Kind);
        Assert.Equal(spec, SpecLoader.FromJson(SpecJson.Canonical(spec)));
        Assert.Equal(spec, _folder.Load(SpecYaml.Write(spec)));
        var model = (Mapping)SpecDocument.Of(spec).Single(kv => kv.Key == "model").Value!;
        Assert.Equal(definition.Keys.Prepend("kind"), model.Select(kv => kv.Key));
    }

    public static TheoryData<string> Kinds() => new(ModelKindTable.Names);

    private static string Yaml(Dictionary<string, string> given) =>
        string.Concat(given.GroupBy(g => g.Key.Contains('.') ? g.Key[..g.Key.IndexOf('.')] : "")
            .SelectMany(section => section.Key.Length == 0
                ? section.Select(g => $"{g.Key}: {g.Value}\n")
                : [$"{section.Key}: {{{string.Join(", ", section.Select(g => $"{g.Key[(g.Key.IndexOf('.') + 1)..]}: {g.Value}"))}}}\n"]));
}
