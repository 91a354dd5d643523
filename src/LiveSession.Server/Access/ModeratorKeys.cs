using System.Security.Cryptography;
using System.Text;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Access;

/// <summary>
/// Moderator keys: random, shown once, stored only as a SHA-256 hash (they carry 256 bits of
/// entropy, so a plain hash is enough; no password stretching needed).
/// </summary>
public sealed class ModeratorKeys(ILiveStore store, TimeProvider time)
{
    private const string Prefix = "lsk_";

    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    public async Task<string> CreateAsync(string eventCode, string label, bool replaceExisting, CancellationToken cancellationToken)
    {
        var key = NewKey();
        await store.AddModeratorKeyAsync(new ModeratorKey(Hash(key), eventCode, label, time.GetUtcNow()), replaceExisting, cancellationToken);
        return key;
    }

    public Task<ModeratorKey?> FindAsync(string key, CancellationToken cancellationToken) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length < 100
            ? store.FindModeratorKeyAsync(Hash(key), cancellationToken)
            : Task.FromResult<ModeratorKey?>(null);

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
