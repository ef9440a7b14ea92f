// Tests run one at a time: the training loop's leak check asserts on the process-wide live-tensor count.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
