using System.Text.Json;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// The shared live-connection module in the browser, fed crafted updates on top of a real join:
/// ordering by seq, duplicates, absolute tallies, and the resync when a gap does not fill.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveConnectionTests(BrowserFixture browser) : LivePagesTest(browser)
{
    [Fact]
    public async Task Updates_apply_in_seq_order_and_an_unfilled_gap_resyncs_from_a_snapshot()
    {
        var page = await Pages.AttendeeAsync();

        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const { LiveSession } = await import("/js/live-connection.js");
                const session = new LiveSession("bms22");
                await session.start();
                const seq = session.state.seq;
                const now = new Date().toISOString();
                const question = (id, revision, votes) => ({ id, text: id, authorName: null, addressedToSpeakerId: null,
                    origin: "remote", status: "approved", votes, revision, createdAt: now, mergedIntoId: null, edited: false });
                const update = (seqOffset, type, data) => ({ eventCode: "bms22", seq: seq + seqOffset, type, data, serverTime: now });

                session.receive(update(2, "question", question("q-late", 1, 0)));
                const heldBack = session.state.questions.has("q-late");
                session.receive(update(1, "qa", { open: true }));
                const appliedInOrder = session.state.questions.has("q-late") && session.state.seq === seq + 2;
                session.receive({ ...update(2, "question", { ...question("q-mine", 1, 0), status: "pending" }), mine: true });
                const ownAppliedWithoutAdvancing = session.state.questions.get("q-mine")?.status === "pending" && session.state.seq === seq + 2;
                session.receive(update(2, "question", question("q-late", 0, 99)));
                const olderRevisionIgnored = session.state.questions.get("q-late").votes === 0;
                session.receive(update(2, "votes", { counts: { "q-late": 7 } }));
                const talliesApplied = session.state.questions.get("q-late").votes === 7;

                session.receive(update(9, "question", question("q-after-gap", 1, 0)));
                const gapHeld = !session.state.questions.has("q-after-gap");
                await new Promise(resolve => setTimeout(resolve, 3000));
                const resynced = session.state.seq === seq && !session.state.questions.has("q-late") && session.buffer.length === 0;
                await session.connection.stop();
                return { heldBack, appliedInOrder, ownAppliedWithoutAdvancing, olderRevisionIgnored, talliesApplied, gapHeld, resynced };
            }
            """).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(result.GetProperty("heldBack").GetBoolean());
        Assert.True(result.GetProperty("appliedInOrder").GetBoolean());
        Assert.True(result.GetProperty("ownAppliedWithoutAdvancing").GetBoolean());
        Assert.True(result.GetProperty("olderRevisionIgnored").GetBoolean());
        Assert.True(result.GetProperty("talliesApplied").GetBoolean());
        Assert.True(result.GetProperty("gapHeld").GetBoolean());
        Assert.True(result.GetProperty("resynced").GetBoolean());
    }

    [Fact]
    public async Task Poll_updates_take_the_next_seq_and_coalesced_results_follow_it_newest_first_only_while_shown()
    {
        var page = await Pages.AttendeeAsync();

        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const { LiveSession } = await import("/js/live-connection.js");
                const { screenPoll } = await import("/js/live-view.js");
                const session = new LiveSession("bms22");
                await session.start();
                const seq = session.state.seq;
                const at = ms => new Date(Date.now() + ms).toISOString();
                const results = n => ({ total: n, counts: { c1: n }, words: [], byOrigin: null });
                const poll = (revision, resultsVisible, status = "open") => ({ id: "p-1", question: "Which?", kind: "single",
                    choices: [{ id: "c1", text: "One" }, { id: "c2", text: "Two" }], maxChoices: 1, status, resultsVisible, revision,
                    openedAt: at(0), closedAt: null, results: resultsVisible ? results(1) : null });
                const update = (seqOffset, type, data, ms = 0) => ({ eventCode: "bms22", seq: seq + seqOffset, type, data, serverTime: at(ms) });

                session.receive(update(1, "pollResults", { pollId: "p-1", results: results(5) }, 100));
                session.receive(update(1, "poll", poll(1, false)));
                const hiddenResultsIgnored = session.state.seq === seq + 1 && session.state.polls.get("p-1").results === null;
                session.receive(update(3, "poll", poll(2, true), 200));
                const heldForGap = session.state.polls.get("p-1").revision === 1;
                session.receive(update(2, "screen", { questionId: null, pollId: "p-1" }, 200));
                const onScreen = session.state.seq === seq + 3 && screenPoll(session.state)?.revision === 2;
                session.receive(update(3, "pollResults", { pollId: "p-1", results: results(9) }, 400));
                session.receive(update(3, "pollResults", { pollId: "p-1", results: results(7) }, 300));
                const newestKept = session.state.polls.get("p-1").results.total === 9 && session.state.seq === seq + 3;
                session.receive(update(4, "pollResults", { pollId: "p-1", results: results(11) }, 500));
                const aheadHeld = session.state.polls.get("p-1").results.total === 9;
                session.receive(update(4, "poll", poll(3, true, "closed"), 350));
                const closedKeepsNewerResults = session.state.polls.get("p-1").status === "closed"
                    && session.state.polls.get("p-1").results.total === 11;
                await session.connection.stop();
                return { hiddenResultsIgnored, heldForGap, onScreen, newestKept, aheadHeld, closedKeepsNewerResults };
            }
            """).WaitAsync(TimeSpan.FromSeconds(20));

        foreach (var check in result.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
        {
            Assert.True(check.Value.ValueKind == JsonValueKind.True, $"{check.Name}: {result}");
        }
    }
}
