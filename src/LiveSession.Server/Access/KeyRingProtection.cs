using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Access;

/// <summary>
/// <c>LiveSession:KeyRingSecret</c>: the Data Protection key ring (which signs attendee tokens and
/// console cookies) is kept encrypted with it, so whoever can read Redis or the data folder alone
/// cannot forge either. Required in Redis mode, where the key ring lives in Redis.
/// </summary>
public sealed class KeyRingOptions
{
    public const int MinSecretLength = 32;

    public string? KeyRingSecret { get; set; }
}

/// <summary>Checks the secret at start: long enough when set, and set when the key ring is in Redis.</summary>
public sealed class KeyRingOptionsValidation(bool keyRingInRedis) : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        var secret = options.KeyRingSecret?.Trim();
        if (string.IsNullOrEmpty(secret))
        {
            return keyRingInRedis
                ? ValidateOptionsResult.Fail("LiveSession:KeyRingSecret (env LiveSession__KeyRingSecret) is required with ConnectionStrings:Redis: "
                    + "the key ring that signs attendee tokens and console cookies is kept in Redis, encrypted with it. "
                    + "Give every node the same secret of at least 32 characters (`openssl rand -base64 32`).")
                : ValidateOptionsResult.Success;
        }

        return secret.Length < KeyRingOptions.MinSecretLength
            ? ValidateOptionsResult.Fail($"LiveSession:KeyRingSecret has {secret.Length} characters; it must have at least {KeyRingOptions.MinSecretLength} (`openssl rand -base64 32`).")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>AES-256-GCM under a key derived (HKDF-SHA256) from <c>LiveSession:KeyRingSecret</c>.</summary>
public sealed class KeyRingCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("LiveSession key ring v1");

    private readonly byte[] _key;

    public KeyRingCipher(string secret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret.Trim()), 32, salt: null, info: Purpose);

    public string Encrypt(string plaintext)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + clear.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Purpose);
        return Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="CryptographicException">Another secret, or altered bytes.</exception>
    public string Decrypt(string sealedText)
    {
        var sealedBytes = Convert.FromBase64String(sealedText);
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The encrypted key is too short.");
        }

        var clear = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), clear, Purpose);
        return Encoding.UTF8.GetString(clear);
    }
}

public sealed class KeyRingEncryptor(KeyRingCipher cipher) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with LiveSession:KeyRingSecret (AES-256-GCM). "),
            new XElement("value", cipher.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting))));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Made by Data Protection from its type name, with the application's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var cipher = services.GetService<KeyRingCipher>()
            ?? throw new InvalidOperationException("The key ring is encrypted but LiveSession:KeyRingSecret is not set.");
        var value = encryptedElement.Element("value")?.Value ?? throw new CryptographicException("The encrypted key has no value.");
        return XElement.Parse(cipher.Decrypt(value));
    }
}

/// <summary>The key ring in the data folder, each key file 0600 like the rest of the folder.</summary>
public sealed class OwnerOnlyFileXmlRepository(DirectoryInfo directory, ILoggerFactory loggerFactory)
    : FileSystemXmlRepository(directory, loggerFactory)
{
    public override void StoreElement(XElement element, string friendlyName)
    {
        base.StoreElement(element, friendlyName);
        foreach (var file in Directory.EnumerateFiles("*.xml"))
        {
            DataFolder.RestrictToOwner(file.FullName);
        }
    }
}

public static class KeyRingRegistration
{
    /// <summary>
    /// The Data Protection key ring's encryption, when a secret is set (required when
    /// <paramref name="keyRingInRedis"/>); where the ring is kept is the node mode's to say.
    /// </summary>
    public static WebApplicationBuilder AddEncryptedKeyRing(this WebApplicationBuilder builder, bool keyRingInRedis)
    {
        var services = builder.Services;
        services.AddOptions<KeyRingOptions>().BindConfiguration(LiveSessionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>>(new KeyRingOptionsValidation(keyRingInRedis));

        var secret = builder.Configuration[$"{LiveSessionOptions.Section}:{nameof(KeyRingOptions.KeyRingSecret)}"]?.Trim();
        if (!string.IsNullOrEmpty(secret) && secret.Length >= KeyRingOptions.MinSecretLength)
        {
            services.AddSingleton(new KeyRingCipher(secret));
            services.AddOptions<KeyManagementOptions>().Configure<KeyRingCipher>((options, cipher) => options.XmlEncryptor = new KeyRingEncryptor(cipher));
        }

        return builder;
    }

    /// <summary>The key ring of an embedded node: in the data folder, owner-only.</summary>
    public static WebApplicationBuilder KeepKeyRingInDataFolder(this WebApplicationBuilder builder)
    {
        var keysDirectory = new DirectoryInfo(DataFolder.KeysDirectory(
            builder.Configuration[$"{LiveSessionOptions.Section}:{nameof(LiveSessionOptions.DataDirectory)}"] ?? new LiveSessionOptions().DataDirectory));
        builder.Services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((options, loggers) =>
        {
            DataFolder.CreateOwnerOnlyFolder(keysDirectory.FullName);
            options.XmlRepository = new OwnerOnlyFileXmlRepository(keysDirectory, loggers);
        });
        return builder;
    }
}
