using System.Globalization;
using System.Text;

namespace LiveSession.Server.Polls;

/// <summary>
/// Polls in the exports: every poll that was opened, with its results (both origins and each one).
/// Drafts are left out: nobody answered them.
/// </summary>
public static class PollExport
{
    public static readonly string[] CsvColumns = ["pollId", "pollQuestion", "kind", "status", "item", "total", "room", "remote"];

    public static IReadOnlyList<PollDto> Exported(IReadOnlyList<PollDto> polls) => polls.Where(p => p.Status != "draft").ToList();

    /// <summary>One row per choice or word: the count from both origins, then from the room and from remote.</summary>
    public static IEnumerable<string[]> CsvRows(IReadOnlyList<PollDto> polls)
    {
        foreach (var poll in Exported(polls))
        {
            var results = poll.Results!;
            string N(int n) => n.ToString(CultureInfo.InvariantCulture);
            yield return [poll.Id, poll.Question, poll.Kind, poll.Status, "(answers)", N(results.Total), N(results.ByOrigin.Room.Total), N(results.ByOrigin.Remote.Total)];
            foreach (var choice in poll.Choices)
            {
                yield return [poll.Id, poll.Question, poll.Kind, poll.Status, choice.Text, N(results.Counts.GetValueOrDefault(choice.Id)),
                    N(results.ByOrigin.Room.Counts.GetValueOrDefault(choice.Id)), N(results.ByOrigin.Remote.Counts.GetValueOrDefault(choice.Id))];
            }

            foreach (var word in results.Words)
            {
                yield return [poll.Id, poll.Question, poll.Kind, poll.Status, word.Text, N(word.Count),
                    N(results.ByOrigin.Room.Words.FirstOrDefault(w => w.Text == word.Text)?.Count ?? 0),
                    N(results.ByOrigin.Remote.Words.FirstOrDefault(w => w.Text == word.Text)?.Count ?? 0)];
            }
        }
    }

    public static void Markdown(StringBuilder md, IReadOnlyList<PollDto> polls, Func<string, string> escape)
    {
        var exported = Exported(polls);
        if (exported.Count == 0)
        {
            return;
        }

        md.AppendLine("## Polls").AppendLine();
        foreach (var poll in exported)
        {
            var results = poll.Results!;
            md.AppendLine($"### {escape(poll.Question)}").AppendLine();
            md.AppendLine($"{Export.QaExporter.Plural(results.Total, "answer", "answers")} · from the room {results.ByOrigin.Room.Total} · remote {results.ByOrigin.Remote.Total}").AppendLine();
            foreach (var choice in poll.Choices)
            {
                md.AppendLine($"- {escape(choice.Text)}: **{results.Counts.GetValueOrDefault(choice.Id)}** " +
                              $"(room {results.ByOrigin.Room.Counts.GetValueOrDefault(choice.Id)}, remote {results.ByOrigin.Remote.Counts.GetValueOrDefault(choice.Id)})");
            }

            foreach (var word in results.Words)
            {
                md.AppendLine($"- {escape(word.Text)}: **{word.Count}**");
            }

            md.AppendLine();
        }
    }
}
