using System.Buffers;

namespace Personium.Core.Storage;

/// <summary>Validates blob keys, so every blob store refuses the same unsafe keys.</summary>
public static class BlobKey
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>True when <paramref name="key"/> is a safe key (see <see cref="IBlobStore"/>).</summary>
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 1024) return false;
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '.') return false;
            if (segment.AsSpan().ContainsAnyExcept(Allowed)) return false;
        }
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the key is valid.</summary>
    public static string Validate(string key)
        => IsValid(key) ? key : throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
}
