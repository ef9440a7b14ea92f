// The record shapes of TRL's datasets that a JSONL file can hold, one shape per file.
namespace Workbench.Data.Chat;

enum TrlShape
{
    /// <summary>{prompt, completion}: SFT, the loss on the completion.</summary>
    PromptCompletion,

    /// <summary>{messages: [{role, content}, ...]}: SFT, the loss on the assistant turns.</summary>
    Messages,

    /// <summary>{prompt, chosen, rejected}: reward modelling and DPO.</summary>
    Preference,

    /// <summary>{prompt, answer, task}: RL against the named task's checker.</summary>
    Verifiable,
}
