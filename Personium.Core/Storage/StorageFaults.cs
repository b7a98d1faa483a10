namespace Personium.Core.Storage;

/// <summary>
/// A write refused because the device holding the store has no space left (or the quota is exhausted). Nothing of the
/// write was kept; reads keep working, and writes work again once space is freed. The HTTP surface answers it with
/// 503 PR503-SV-0005.
/// </summary>
public sealed class StorageFullException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StorageFullException(string message, Exception? inner = null) : base(message, inner)
    {
        HResult = inner?.HResult ?? HResult;
    }
}

/// <summary>A store that cannot be used at all (cannot be opened, is read-only, or is corrupted); the message says what is
/// wrong and where, for an operator.</summary>
public sealed class StoreUnusableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnusableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>Recognises storage failures that a store or the file system reports as plain exceptions.</summary>
public static class StorageFault
{
    // errno values as .NET reports them in IOException.HResult on Unix (ENOSPC is 28 everywhere; EDQUOT is 122 on Linux
    // and 69 on the BSDs and macOS), and the HRESULTs of ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private const int Enospc = 28;
    private const int EdquotLinux = 122;
    private const int EdquotBsd = 69;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) says the device has no space left.</summary>
    public static bool IsDiskFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageFullException) return true;
            if (e is IOException io && IsDiskFullCode(io.HResult)) return true;
        }

        return false;
    }

    private static bool IsDiskFullCode(int hresult)
    {
        if (hresult is WindowsDiskFull or WindowsHandleDiskFull) return true;
        if (OperatingSystem.IsWindows()) return false;
        return hresult == Enospc || hresult == (OperatingSystem.IsLinux() ? EdquotLinux : EdquotBsd);
    }
}
