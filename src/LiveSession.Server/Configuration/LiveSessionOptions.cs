using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using LiveSession.Domain.Questions;

namespace LiveSession.Server.Configuration;

/// <summary>The <c>LiveSession</c> configuration section (docs/operations.md lists every key).</summary>
public sealed class LiveSessionOptions
{
    public const string Section = "LiveSession";

    /// <summary>Valid for every event. Generated and kept in the data folder when unset.</summary>
    public string? OrganiserKey { get; set; }

    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Where attendees reach this service (links and QR codes). Defaults to the first listening address.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Folder of agenda files loaded at start (events that do not exist yet). Default: <c>{DataDirectory}/events</c>.</summary>
    public string? EventsDirectory { get; set; }

    /// <summary>Whether the demo event (bms22) is created when the store does not have it.</summary>
    public bool LoadDemoEvent { get; set; } = true;

    /// <summary>Attendee data is purged this long after an event's last slot ends.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan RetentionAfterEvent { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Q&amp;A closes by itself, once, this long after an event's last slot ends (a moderator may open it
    /// again). Not for events created after that moment. A long time (days) keeps Q&amp;A open.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan QaClosesAfterEvent { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often the node looks for events whose Q&amp;A is due to close (<see cref="QaClosesAfterEvent"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan QaCloseCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a purge waits for the store to erase the deleted bytes from disk (SQLite VACUUM,
    /// Redis append-only file rewrite) before it answers with <c>erasure.completed = false</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PurgeErasureTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SQLite durability: false (default) survives process crashes and restarts; true also survives
    /// power loss, at the cost of an fsync per write.
    /// </summary>
    public bool SqliteSynchronousFull { get; set; }

    /// <summary>
    /// Proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
    /// are believed: the client address of a request through them is the one they forward. Empty: the
    /// connection's own address (a node reached directly).
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>How long one room pass (in the room screen's QR link) is current; the previous one is still accepted.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan RoomPassLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a node re-reads the display keys of the events it has displays for; a rotated key closes old displays within it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan DisplayKeyCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Required]
    [ValidateObjectMembers]
    public LimitsOptions Limits { get; set; } = new();
}

public sealed class LimitsOptions
{
    [Range(1, 100)]
    public int MinQuestionLength { get; set; } = 3;

    [Range(10, 5000)]
    public int MaxQuestionLength { get; set; } = 500;

    [Range(1, 500)]
    public int MaxAuthorNameLength { get; set; } = 60;

    [Range(1, 1000)]
    public int QuestionsPerMinute { get; set; } = 5;

    /// <summary>New attendee tokens issued per client address (IPv6: per /64) in any 60 seconds.</summary>
    [Range(1, 1_000_000)]
    public int NewAttendeesPerMinutePerAddress { get; set; } = 120;

    /// <summary>The same, for joins that present the room screen's current pass (a venue's Wi-Fi behind one address).</summary>
    [Range(1, 1_000_000)]
    public int NewAttendeesPerMinutePerAddressWithRoomPass { get; set; } = 2000;

    /// <summary>Questions that enter one event's queue in any 60 seconds (what moderators can read).</summary>
    [Range(1, 1_000_000)]
    public int QuestionsPerMinutePerEvent { get; set; } = 120;

    /// <summary>Questions from one client address (IPv6: per /64) in any 60 seconds; the room pass lifts it (the event's budget still holds).</summary>
    [Range(1, 1_000_000)]
    public int QuestionsPerMinutePerAddress { get; set; } = 30;

    [Range(1, 10000)]
    public int VotesPerMinute { get; set; } = 60;

    /// <summary><c>Snapshot</c> calls per attendee in any 60 seconds (each is a full store read).</summary>
    [Range(1, 10000)]
    public int SnapshotsPerMinute { get; set; } = 30;

    /// <summary><c>Join</c> and <c>JoinDisplay</c> calls per connection in any 60 seconds (each is a full store read).</summary>
    [Range(1, 10000)]
    public int JoinsPerMinute { get; set; } = 20;

    /// <summary>Largest hub message a client may send, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxHubMessageBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// Hub connections per node, whatever their transport, joined or not. Past it a new connection
    /// first displaces the oldest one that has not joined yet, else it is refused with 503
    /// <c>too_many_connections</c>. Lowered at start to fit the file-descriptor limit (see
    /// <see cref="Hosting.ConnectionLimits"/>). Unset: <see cref="MaxWebSocketConnections"/>, else 16,000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int? MaxHubConnections { get; set; }

    /// <summary>The first round's name of <see cref="MaxHubConnections"/>; still read when the new name is unset.</summary>
    [Range(1, 1_000_000)]
    public int? MaxWebSocketConnections { get; set; }

    public int HubConnectionCap => MaxHubConnections ?? MaxWebSocketConnections ?? 16_000;

    /// <summary>A hub connection that has not called <c>Join</c> or <c>JoinDisplay</c> this long after it opened is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open moderator-console circuits (WebSockets on <c>/_blazor</c>) per node, beside the hub's.</summary>
    [Range(1, 100_000)]
    public int MaxConsoleConnections { get; set; } = 256;

    /// <summary>Plain HTTP connections per node (pages, API, negotiate, health; Kestrel <c>MaxConcurrentConnections</c>).</summary>
    [Range(16, 1_000_000)]
    public int MaxHttpConnections { get; set; } = 2048;

    /// <summary>
    /// Bytes the node holds for one hub connection before its sends wait (SignalR's
    /// <c>TransportMaxBufferSize</c>); a send that then waits longer than <see cref="StalledSendTimeout"/> closes it.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBufferedBytesPerConnection { get; set; } = 64 * 1024;

    /// <summary>A connection that has not taken its updates for this long (its buffer full) is closed; it reconnects and resyncs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StalledSendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Updates of one event waiting for the fan-out; past it the callers wait (the node itself cannot keep up).</summary>
    [Range(16, 100_000)]
    public int MaxQueuedUpdatesPerEvent { get; set; } = 1024;

    /// <summary>Group sends of one event the fan-out has started and not seen finish; past it the fan-out waits for the oldest.</summary>
    [Range(64, 1_000_000)]
    public int MaxSendsInFlightPerEvent { get; set; } = 8192;

    /// <summary>Vote tallies are sent at most this often per event.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan VoteTallyInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The node's budget for tally messages (one per connection per tally update): on a crowded node
    /// tallies go out less often than <see cref="VoteTallyInterval"/>, at least once a second. 0 turns it off.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int TallyMessagesPerSecond { get; set; } = 20_000;

    /// <summary>The most frequent words of a word cloud sent with its results (per origin and combined).</summary>
    [Range(1, 1000)]
    public int PollWordsShown { get; set; } = 100;

    public QuestionLimits ToQuestionLimits() => new(MinQuestionLength, MaxQuestionLength, MaxAuthorNameLength);
}
