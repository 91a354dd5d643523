using LiveSession.Server.Polls;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// What the moderator types into the poll form, before the service validates it. The form does not
/// judge: whatever is typed goes to <see cref="PollService"/>, whose refusal is shown as words.
/// </summary>
public sealed class PollForm
{
    public const int MaxChoiceInputs = 10;

    /// <summary>The draft being edited, with the revision the editor started from; null for a new poll.</summary>
    public string? EditingId { get; private set; }

    public int? EditingRevision { get; private set; }

    public string Question { get; set; } = "";

    public string Kind { get; set; } = "single";

    public List<string> Choices { get; } = ["", ""];

    /// <summary>Multiple: at most this many choices per answer; words: words per answer. Empty: the default.</summary>
    public int? MaxChoices { get; set; }

    public bool HasChoices => Kind != "words";

    public bool HasMaxChoices => Kind is "multiple" or "words";

    public static PollForm Edit(PollDto poll)
    {
        var form = new PollForm
        {
            EditingId = poll.Id,
            EditingRevision = poll.Revision,
            Question = poll.Question,
            Kind = poll.Kind,
            MaxChoices = poll.Kind == "single" ? null : poll.MaxChoices,
        };
        form.Choices.Clear();
        form.Choices.AddRange(poll.Choices.Select(c => c.Text));
        while (form.Choices.Count < 2 && form.HasChoices)
        {
            form.Choices.Add("");
        }

        return form;
    }

    /// <summary>
    /// After a refused save because the draft changed meanwhile: the moderator has seen the current
    /// draft in the list, so saving again knowingly replaces that revision.
    /// </summary>
    public void Rebase(int revision) => EditingRevision = revision;

    /// <summary>The draft being edited was deleted meanwhile: what was typed can still become a new poll.</summary>
    public void Detach()
    {
        EditingId = null;
        EditingRevision = null;
    }

    public void AddChoice()
    {
        if (Choices.Count < MaxChoiceInputs)
        {
            Choices.Add("");
        }
    }

    public void RemoveChoice(int index)
    {
        if (index >= 0 && index < Choices.Count)
        {
            Choices.RemoveAt(index);
        }
    }

    /// <summary>The body the HTTP API takes too; choices and maxChoices only where the kind has them.</summary>
    public PollBody ToBody() => new(
        Question,
        Kind,
        HasChoices ? Choices.ToList() : null,
        HasMaxChoices ? MaxChoices : null);
}
