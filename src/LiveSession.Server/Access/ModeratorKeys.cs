using System.Security.Cryptography;
using System.Text;
using LiveSession.Domain.Errors;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Access;

/// <summary>
/// Moderator keys: random, shown once, stored only as a SHA-256 hash (they carry 256 bits of
/// entropy, so a plain hash is enough; no password stretching needed). Keys issued later than the
/// event's first one, from the API or the console, follow one label rule and are audited here.
/// </summary>
public sealed class ModeratorKeys(ILiveStore store, AuditLog audit, TimeProvider time)
{
    /// <summary>The longest label a key may carry (it names the key's holder in the audit log).</summary>
    public const int MaxLabelLength = 60;

    /// <summary>The label of an event's first key, and of a key asked for without one.</summary>
    public const string DefaultLabel = "moderators";

    private const string Prefix = "lsk_";

    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    /// <summary>The key an event is created with (the event's creation is its record; it is not audited apart).</summary>
    public Task<string> CreateFirstAsync(string eventCode, CancellationToken cancellationToken) =>
        CreateAsync(eventCode, DefaultLabel, replaceExisting: true, cancellationToken);

    /// <summary>
    /// A new key for the event, labelled <paramref name="label"/> (trimmed; <see cref="DefaultLabel"/>
    /// when blank; longer than <see cref="MaxLabelLength"/> is <c>invalid_input</c>), audited as
    /// <c>moderator-key</c> by <paramref name="actor"/>. With <paramref name="replaceExisting"/> the event's other keys stop working.
    /// </summary>
    public async Task<IssuedKey> IssueAsync(string eventCode, string? label, bool replaceExisting, Actor actor, CancellationToken cancellationToken)
    {
        var checkedLabel = string.IsNullOrWhiteSpace(label) ? DefaultLabel : label.Trim();
        if (checkedLabel.Length > MaxLabelLength)
        {
            throw LiveSessionException.Invalid($"label may have at most {MaxLabelLength} characters.");
        }

        var key = await CreateAsync(eventCode, checkedLabel, replaceExisting, cancellationToken);
        await audit.RecordAsync(eventCode, actor, "moderator-key", null, null, new { label = checkedLabel });
        return new IssuedKey(checkedLabel, key);
    }

    public Task<ModeratorKey?> FindAsync(string key, CancellationToken cancellationToken) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length < 100
            ? store.FindModeratorKeyAsync(Hash(key), cancellationToken)
            : Task.FromResult<ModeratorKey?>(null);

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<string> CreateAsync(string eventCode, string label, bool replaceExisting, CancellationToken cancellationToken)
    {
        var key = NewKey();
        await store.AddModeratorKeyAsync(new ModeratorKey(Hash(key), eventCode, label, time.GetUtcNow()), replaceExisting, cancellationToken);
        return key;
    }
}

/// <param name="Key">The key itself: shown once, never stored.</param>
public sealed record IssuedKey(string Label, string Key);
