namespace Personium.Tests.Storage;

/// <summary>A switch shared by <see cref="FaultyStream"/>s: while <see cref="Full"/> is set, writes fail as on a full disk.</summary>
internal sealed class DiskFullSwitch
{
    /// <summary>ENOSPC, as .NET reports it in <see cref="IOException.HResult"/> on Unix.</summary>
    public const int Enospc = 28;

    private volatile bool _full;

    public bool Full
    {
        get => _full;
        set => _full = value;
    }

    /// <summary>How many writes were refused.</summary>
    public int Refused;

    public void ThrowIfFull()
    {
        if (!_full) return;
        Interlocked.Increment(ref Refused);
        throw new IOException("No space left on device", Enospc);
    }
}

/// <summary>
/// A stream over a real file stream whose writes (and growth) fail with ENOSPC while its <see cref="DiskFullSwitch"/> is
/// on: the store's own file streams behave as on a full disk, reads keep working.
/// </summary>
internal sealed class FaultyStream(Stream inner, DiskFullSwitch disk) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value)
    {
        if (value > inner.Length) disk.ThrowIfFull();
        inner.SetLength(value);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        disk.ThrowIfFull();
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        disk.ThrowIfFull();
        inner.Write(buffer);
    }

    // The store owns (and disposes) the inner file stream.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);
}
