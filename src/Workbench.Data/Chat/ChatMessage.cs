// One turn of a conversation, in the roles the chat template knows.
namespace Workbench.Data.Chat;

/// <summary>A turn: <paramref name="Role"/> is "system", "user" or "assistant".</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    public static readonly IReadOnlyList<string> Roles = [SystemRole, UserRole, AssistantRole];

    public static ChatMessage System(string content) => new(SystemRole, content);
    public static ChatMessage User(string content) => new(UserRole, content);
    public static ChatMessage Assistant(string content) => new(AssistantRole, content);
}
