using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Hub;

/// <summary>The whole core, end to end: real Kestrel, real SignalR .NET client, SQLite in a temp folder.</summary>
public sealed class LiveSessionFlowTests : LiveServerTest
{
    [Fact]
    public async Task Join_returns_a_snapshot_with_the_demo_agenda()
    {
        await using var attendee = await LiveClient.ConnectAsync(Server);

        var snapshot = await attendee.JoinAsync("bms22", null, "room");

        Assert.Equal("bms22", snapshot.EventCode);
        Assert.Equal("Stopping Biometric Mass Surveillance in Europe", snapshot.Event.Title);
        Assert.Equal("Europe/Brussels", snapshot.Event.TimeZone);
        Assert.Equal(new DateTimeOffset(2022, 11, 8, 16, 15, 0, TimeSpan.Zero), snapshot.Event.StartsAt);
        Assert.Equal(4, snapshot.Agenda.Slots.Count);
        Assert.Equal(10, snapshot.Agenda.Slots[1].Speakers.Count);
        Assert.Equal(10, snapshot.Agenda.Slots[2].Speakers.Count);
        Assert.Null(snapshot.Live.CurrentSlotId);
        Assert.True(snapshot.Live.QaOpen);
        Assert.Empty(snapshot.Questions);
        Assert.False(string.IsNullOrEmpty(snapshot.AttendeeToken));
        Assert.Equal("room", snapshot.Mine.Origin);
    }

    [Fact]
    public async Task Asked_question_is_pending_for_its_asker_only_until_approved_then_reaches_everyone()
    {
        await using var asker = await LiveClient.JoinAsync(Server, origin: "room");
        await using var other = await LiveClient.JoinAsync(Server);
        using var moderator = Server.CreateModeratorClient();

        var asked = await asker.AskAsync("  Will the AI Act ban <b>emotion recognition</b>?  ", "Ana");

        Assert.Equal("pending", asked.Status);
        var own = await asker.WaitForQuestionAsync(asked.QuestionId, "pending");
        Assert.True(own.Mine);
        Assert.Equal(asker.Snapshot!.Seq, own.Seq);
        var askerView = await asker.ResyncAsync();
        var mine = Assert.Single(askerView.Questions);
        Assert.Equal("Will the AI Act ban <b>emotion recognition</b>?", mine.Text);
        Assert.Equal("room", mine.Origin);
        Assert.Contains(asked.QuestionId, askerView.Mine.QuestionIds);
        var otherView = await other.ResyncAsync();
        Assert.Empty(otherView.Questions);
        Assert.Equal(own.Seq, otherView.Seq);

        await moderator.ApproveAsync(asked.QuestionId);

        await asker.WaitForQuestionAsync(asked.QuestionId, "approved");
        var seen = await other.WaitForQuestionAsync(asked.QuestionId, "approved");
        Assert.Equal(seen, Assert.Single(other.Updates)); // nothing of the ask reached another attendee
        Assert.Equal(own.Seq + 1, seen.Seq);
        var data = (JsonElement)seen.Data!;
        Assert.Equal("Ana", data.GetProperty("authorName").GetString());
        Assert.False(data.TryGetProperty("askerId", out _));
        Assert.Single((await other.ResyncAsync()).Questions);
    }

    [Fact]
    public async Task Vote_twice_counts_once_and_unvote_removes_it()
    {
        await using var attendee = await LiveClient.JoinAsync(Server);
        var questionId = await PublishedQuestionAsync(attendee);

        var first = await attendee.VoteAsync(questionId);
        var second = await attendee.VoteAsync(questionId);

        Assert.Equal(1, first.GetProperty("votes").GetInt32());
        Assert.Equal(1, second.GetProperty("votes").GetInt32());
        await attendee.WaitForUpdateAsync(u => attendee.LastTally(questionId) == 1);
        Assert.Contains(questionId, (await attendee.ResyncAsync()).Mine.VotedQuestionIds);

        var removed = await attendee.UnvoteAsync(questionId);

        Assert.Equal(0, removed.GetProperty("votes").GetInt32());
        await attendee.WaitForUpdateAsync(u => attendee.LastTally(questionId) == 0);
        var after = await attendee.ResyncAsync();
        Assert.Empty(after.Mine.VotedQuestionIds);
        Assert.Equal(0, after.Questions.Single(q => q.Id == questionId).Votes);
    }

    [Fact]
    public async Task Fifty_clients_voting_at_once_give_the_exact_tally_to_everyone()
    {
        await using var asker = await LiveClient.JoinAsync(Server);
        var questionId = await PublishedQuestionAsync(asker);
        var voters = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => LiveClient.JoinAsync(Server)));
        try
        {
            await Task.WhenAll(voters.Select(v => v.VoteAsync(questionId)));

            await Task.WhenAll(voters.Select(v => v.WaitForUpdateAsync(_ => v.LastTally(questionId) == 50)));
            Assert.Equal(50, (await asker.ResyncAsync()).Questions.Single(q => q.Id == questionId).Votes);
            var tallies = voters[0].Updates.Count(u => u.Type == UpdateTypes.Votes);
            Assert.True(tallies < 50, $"Tallies must be coalesced, not one per vote; got {tallies} tally updates for 50 votes.");
        }
        finally
        {
            await Task.WhenAll(voters.Select(v => v.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task Merge_combines_votes_without_counting_anyone_twice()
    {
        await using var asker = await LiveClient.JoinAsync(Server);
        await using var both = await LiveClient.JoinAsync(Server);
        await using var onlyDuplicate = await LiveClient.JoinAsync(Server);
        using var moderator = Server.CreateModeratorClient();
        var original = await PublishedQuestionAsync(asker, "Is live facial recognition at borders covered?");
        var duplicate = await PublishedQuestionAsync(asker, "Does the ban cover facial recognition at borders?");
        await both.VoteAsync(original);
        await both.VoteAsync(duplicate);
        await onlyDuplicate.VoteAsync(duplicate);

        var merged = await moderator.PostOkAsync($"/api/events/bms22/questions/{duplicate}/merge", new { intoId = original });

        Assert.Equal(original, merged.GetProperty("id").GetString());
        Assert.Equal(2, merged.GetProperty("votes").GetInt32());
        var view = await both.ResyncAsync();
        Assert.Equal(2, view.Questions.Single(q => q.Id == original).Votes);
        Assert.DoesNotContain(view.Questions, q => q.Id == duplicate);
        var kept = (await moderator.ListQuestionsAsync(status: "merged")).Single();
        Assert.Equal("Does the ban cover facial recognition at borders?", kept.Text);
        Assert.Equal(original, kept.MergedIntoId);
        var mergedUpdate = await asker.WaitForQuestionAsync(duplicate, "merged");
        Assert.Equal(original, ((JsonElement)mergedUpdate.Data!).GetProperty("mergedIntoId").GetString());
    }

    [Fact]
    public async Task Restart_keeps_questions_votes_live_state_and_the_attendee_token()
    {
        await using var attendee = await LiveClient.JoinAsync(Server);
        using var moderator = Server.CreateModeratorClient();
        var published = await PublishedQuestionAsync(attendee);
        var pending = (await attendee.AskAsync("What about retrospective identification?")).QuestionId;
        await attendee.VoteAsync(published);
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = published });
        var before = await attendee.ResyncAsync();
        var token = attendee.Token;
        await attendee.StopAsync();

        await Server.RestartAsync();

        await using var back = await LiveClient.JoinAsync(Server, token: token);
        var after = back.Snapshot!;
        Assert.Equal(token, after.AttendeeToken);
        Assert.Equal(before.Seq, after.Seq);
        Assert.Equal(before.Live, after.Live);
        Assert.Equal(after.Agenda.Slots[1].Id, after.Live.CurrentSlotId);
        Assert.Equal(published, after.Live.ScreenQuestionId);
        Assert.Equal(before.Questions.Select(q => (q.Id, q.Status, q.Votes, q.Revision, q.Text)),
            after.Questions.Select(q => (q.Id, q.Status, q.Votes, q.Revision, q.Text)));
        Assert.Contains(pending, after.Mine.QuestionIds);
        Assert.Contains(published, after.Mine.VotedQuestionIds);
        var again = await back.VoteAsync(published);
        Assert.Equal(1, again.GetProperty("votes").GetInt32());
    }

    [Fact]
    public async Task A_client_that_missed_updates_resyncs_to_the_state_of_a_fresh_join()
    {
        await using var lagging = await LiveClient.JoinAsync(Server);
        await using var asker = await LiveClient.JoinAsync(Server);
        using var moderator = Server.CreateModeratorClient();
        var seqBefore = lagging.Snapshot!.Seq;
        var token = lagging.Token;
        await lagging.StopAsync();

        var published = await PublishedQuestionAsync(asker);
        await asker.VoteAsync(published);
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        await moderator.PutOkAsync("/api/events/bms22/qa", new { open = false });
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = published });

        await lagging.Connection.StartAsync().DefaultTimeout();
        await lagging.JoinAsync("bms22", token);
        var resynced = await lagging.ResyncAsync();
        await using var fresh = await LiveClient.JoinAsync(Server);
        var freshView = fresh.Snapshot!;

        Assert.True(resynced.Seq > seqBefore + 1, "The lagging client missed updates: its next update would show a gap.");
        Assert.Equal(freshView.Seq, resynced.Seq);
        Assert.Equal(freshView.Live, resynced.Live);
        Assert.Equal(freshView.Questions, resynced.Questions);
        Assert.False(resynced.Live.QaOpen);
    }

    [Fact]
    public async Task Updates_carry_increasing_sequence_numbers_without_gaps_for_every_attendee()
    {
        await using var watcher = await LiveClient.JoinAsync(Server);
        await using var asker = await LiveClient.JoinAsync(Server);
        using var moderator = Server.CreateModeratorClient();
        var start = watcher.Snapshot!.Seq;

        var published = await PublishedQuestionAsync(asker);
        await asker.AskAsync("A second question, still pending.");
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        await moderator.PostOkAsync("/api/events/bms22/timer/pause");
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = published });
        await watcher.WaitForUpdateAsync(u => u.Type == UpdateTypes.Screen);

        var seqs = watcher.Updates.Where(u => u.Type != UpdateTypes.Votes).Select(u => u.Seq).ToList();
        Assert.Equal(Enumerable.Range((int)start + 1, seqs.Count).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task Attendees_in_every_fan_out_shard_get_every_update_once_and_in_order()
    {
        // More attendees than shards: every shard has members, some more than one.
        var attendees = await Task.WhenAll(Enumerable.Range(0, LiveGroups.EventShards + 3).Select(_ => LiveClient.JoinAsync(Server)));
        try
        {
            var asker = attendees[0];
            using var moderator = Server.CreateModeratorClient();
            var start = attendees.Max(a => a.Snapshot!.Seq);

            var published = await PublishedQuestionAsync(asker);
            var pending = await asker.AskAsync("A question only its asker sees for now.");
            await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
            await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = published });
            await Task.WhenAll(attendees.Select(a => a.WaitForUpdateAsync(u => u.Type == UpdateTypes.Screen)));

            // In order, nothing missing: the approval, the agenda, the screen. The pending ask took no seq
            // and reached its asker only, with the seq current then.
            var expected = Enumerable.Range((int)start + 1, 3).Select(i => (long)i).ToList();
            Assert.All(attendees, attendee =>
            {
                var seqs = attendee.Updates.Where(u => u.Type != UpdateTypes.Votes && !u.Mine).Select(u => u.Seq).ToList();
                Assert.Equal(expected, seqs);
            });
            Assert.Contains(asker.Updates, u => u.Mine && u.Type == UpdateTypes.Question && u.Seq == start + 1);
            Assert.All(attendees.Skip(1), other => Assert.DoesNotContain(other.Updates, u => u.Mine));
            Assert.NotNull(pending.QuestionId);
        }
        finally
        {
            await Task.WhenAll(attendees.Select(a => a.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Asks through the hub and approves through the API: a question everyone can see and vote on.</summary>
    private async Task<string> PublishedQuestionAsync(LiveClient asker, string text = "Who will enforce the ban in practice?")
    {
        using var moderator = Server.CreateModeratorClient();
        var asked = await asker.AskAsync(text);
        await moderator.ApproveAsync(asked.QuestionId);
        return asked.QuestionId;
    }
}
