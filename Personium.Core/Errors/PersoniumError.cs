using System.Globalization;
using System.Net;

namespace Personium.Core.Errors;

/// <summary>
/// One entry of Personium's error catalogue: a code such as <c>PR400-OD-0001</c> (whose three digits are the
/// HTTP status) and its message, already formatted with its arguments.
/// </summary>
public sealed record PersoniumError(string Code, string Message)
{
    /// <summary>The HTTP status encoded in the code (<c>PR{status}-…</c>).</summary>
    public HttpStatusCode Status => (HttpStatusCode)int.Parse(Code.AsSpan(2, 3), CultureInfo.InvariantCulture);

    /// <summary>Looks a code up in the catalogue and formats its template with <paramref name="args"/>.</summary>
    internal static PersoniumError Of(string code, params object?[] args) => new(code, ErrorCatalog.Format(code, args));

    /// <summary>Wraps this error in an exception to throw.</summary>
    public PersoniumException ToException(Exception? inner = null) => new(this, inner);
}

/// <summary>The one exception type that carries a Personium error to the HTTP layer or to an embedding app.</summary>
public sealed class PersoniumException : Exception
{
    /// <summary>Creates the exception for an error.</summary>
    public PersoniumException(PersoniumError error, Exception? inner = null) : base($"{error.Code}: {error.Message}", inner)
        => Error = error;

    /// <summary>The error carried.</summary>
    public PersoniumError Error { get; }

    /// <summary>The error's code.</summary>
    public string Code => Error.Code;

    /// <summary>The HTTP status of the error.</summary>
    public HttpStatusCode Status => Error.Status;
}
