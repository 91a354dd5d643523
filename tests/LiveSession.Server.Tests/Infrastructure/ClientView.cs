using System.Text.Json;
using LiveSession.Server.Live;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// What a well-behaved client shows, rebuilt from its snapshot and the updates it received: apply
/// updates in sequence order, and when a gap does not fill, take a new snapshot (docs/protocol.md).
/// Used to prove that after any storm every client equals a fresh snapshot.
/// </summary>
public sealed class ClientView
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, QuestionDto> _questions = [];
    private readonly ISet<string> _mine;

    private ClientView(SnapshotDto snapshot, ISet<string> mine)
    {
        _mine = mine;
        Seq = snapshot.Seq;
        Live = snapshot.Live;
        foreach (var question in snapshot.Questions)
        {
            _questions[question.Id] = question;
        }

        _mine.UnionWith(snapshot.Mine.QuestionIds);
    }

    public long Seq { get; private set; }

    public LiveDto Live { get; private set; }

    /// <summary>Questions as the client would list them: published ones and its own.</summary>
    public IEnumerable<QuestionDto> Visible =>
        _questions.Values.Where(q => q.Status is "approved" or "answered" || _mine.Contains(q.Id)).OrderBy(q => q.Id, StringComparer.Ordinal);

    /// <summary>
    /// Waits until the client's view has reached <paramref name="targetSeq"/>, resyncing (as the
    /// protocol says) when a gap stays open for <paramref name="gapTimeout"/>; returns the view.
    /// </summary>
    public static async Task<ClientView> CatchUpAsync(LiveClient client, long targetSeq, ISet<string> mine, TimeSpan gapTimeout)
    {
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        var gapSince = DateTime.UtcNow;
        var lastSeq = -1L;
        while (true)
        {
            var view = Build(client.Snapshot!, client.Updates, new HashSet<string>(mine), out var needsSnapshot);
            if (view.Seq >= targetSeq && !needsSnapshot)
            {
                return view;
            }

            if (view.Seq != lastSeq)
            {
                lastSeq = view.Seq;
                gapSince = DateTime.UtcNow;
            }

            if (needsSnapshot || DateTime.UtcNow - gapSince > gapTimeout)
            {
                await client.ResyncAsync();
                gapSince = DateTime.UtcNow;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The client stayed at seq {view.Seq}, expected {targetSeq}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Applies the updates after the snapshot in sequence order, as far as they are contiguous.</summary>
    public static ClientView Build(SnapshotDto snapshot, IReadOnlyList<UpdateDto> updates, ISet<string> mine, out bool needsSnapshot)
    {
        var view = new ClientView(snapshot, mine);
        needsSnapshot = false;
        var bySeq = updates.Where(u => u.Seq > snapshot.Seq && u.Type != UpdateTypes.Votes && !u.Mine).ToLookup(u => u.Seq);
        while (bySeq.Contains(view.Seq + 1))
        {
            view.Seq++;
            foreach (var update in bySeq[view.Seq])
            {
                needsSnapshot |= !view.Apply(update);
            }
        }

        // Changes of the client's own questions do not advance seq: applied by revision once their seq is reached.
        foreach (var own in updates.Where(u => u.Mine && u.Seq <= view.Seq))
        {
            view.Apply(own);
        }

        return view;
    }

    public void AssertEqual(SnapshotDto fresh)
    {
        Assert.Equal(fresh.Seq, Seq);
        Assert.Equal(
            fresh.Questions.Select(Describe).Order(StringComparer.Ordinal),
            Visible.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal(fresh.Live with { Revision = 0 }, Live with { Revision = 0 });
    }

    private static string Describe(QuestionDto q) => $"{q.Id} {q.Status} r{q.Revision} {q.MergedIntoId} {q.Text}";

    /// <summary>False when the update asks for a new snapshot.</summary>
    private bool Apply(UpdateDto update)
    {
        var data = update.Data is JsonElement element ? element : default;
        switch (update.Type)
        {
            case UpdateTypes.Question:
                var question = data.Deserialize<QuestionDto>(Json)!;
                if (!_questions.TryGetValue(question.Id, out var known) || known.Revision <= question.Revision)
                {
                    _questions[question.Id] = question;
                }

                return true;
            case UpdateTypes.Agenda:
                Live = data.Deserialize<LiveDto>(Json)!;
                return true;
            case UpdateTypes.Screen:
                Live = Live with { ScreenQuestionId = data.Deserialize<ScreenData>(Json)!.QuestionId };
                return true;
            case UpdateTypes.Qa:
                Live = Live with { QaOpen = data.Deserialize<QaData>(Json)!.Open };
                return true;
            case UpdateTypes.Overlay:
                Live = Live with { LowerThirdHidden = data.Deserialize<OverlayData>(Json)!.LowerThirdHidden };
                return true;
            default:
                return false;
        }
    }
}
