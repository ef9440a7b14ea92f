// Model tests run one at a time: they seed the engine's global generator and count live tensors.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
