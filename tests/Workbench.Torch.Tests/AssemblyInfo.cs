// Engine tests run one at a time: they assert on the process-wide live-tensor count and thread setting.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
