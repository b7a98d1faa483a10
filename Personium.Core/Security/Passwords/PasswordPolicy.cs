using System.Text.RegularExpressions;
using Personium.Core.Errors;

namespace Personium.Core.Security.Passwords;

/// <summary>
/// Checks a new password (<c>X-Personium-Credential</c> on Account POST/PUT/MERGE, <c>__mypassword</c>) against the
/// unit's rule (API 212, 294): 1–256 characters and <see cref="PasswordOptions.Pattern"/>. Built once per unit so
/// the pattern is compiled once; an invalid pattern fails at start-up, not at the first account creation.
/// </summary>
internal sealed class PasswordPolicy
{
    /// <summary>Hard length bounds applied whatever the pattern says.</summary>
    public const int MinLength = 1, MaxLength = 256;

    private readonly Regex _pattern;

    /// <summary>Compiles the policy of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The configured pattern is not a valid regular expression.</exception>
    public PasswordPolicy(PasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            // \A(?:…)\z: the whole value, as Java's String.matches; plain `$` would accept a trailing "\n".
            _pattern = new Regex(@"\A(?:" + options.Pattern + @")\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Personium:Passwords:Pattern is not a valid regular expression: {e.Message}",
                nameof(options), e);
        }
    }

    /// <summary>Whether <paramref name="password"/> satisfies the policy.</summary>
    public bool IsValid(string? password) =>
        password is { Length: >= MinLength and <= MaxLength } && _pattern.IsMatch(password);

    /// <summary>Throws <c>400 PR400-AU-0001</c> "Password format is invalid." unless the password satisfies the policy.</summary>
    public void Validate(string? password)
    {
        if (!IsValid(password))
        {
            throw PersoniumErrors.PasswordFormatInvalid().ToException();
        }
    }
}
