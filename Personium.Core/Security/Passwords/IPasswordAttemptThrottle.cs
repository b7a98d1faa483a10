namespace Personium.Core.Security.Passwords;

/// <summary>
/// Limits failed password checks per client (see <see cref="PasswordOptions.FailuresPerClient"/>). Every check is
/// charged as a failure before it runs, and refunded when it succeeds, so concurrent guesses from one client cannot
/// overtake the limit. The unit keeps this state in process by default; an implementation over a shared store (a
/// cache several units use) lets them count together (<see cref="PasswordOptions.UseAttemptThrottle"/>).
/// </summary>
public interface IPasswordAttemptThrottle
{
    /// <summary>
    /// Charges one failure to <paramref name="client"/> if it is under its limit and answers true; answers false,
    /// charging nothing, when it is throttled (the check is then refused without looking at the password).
    /// </summary>
    /// <param name="client">The client key: an IPv4 address, an IPv6 /64 network (<c>2001:db8:1:2::/64</c>), or
    /// <c>unknown</c> for requests whose transport gave no address (they share one budget).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<bool> TryChargeAsync(string client, CancellationToken cancellationToken);

    /// <summary>Takes back the charge of a check of <paramref name="client"/> that succeeded.</summary>
    ValueTask RefundAsync(string client, CancellationToken cancellationToken);
}
