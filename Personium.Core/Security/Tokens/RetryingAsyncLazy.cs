namespace Personium.Core.Security.Tokens;

/// <summary>
/// An asynchronously created value, created once by concurrent callers, whose failed or cancelled creation is started
/// again by the next caller instead of being kept (a <see cref="Lazy{T}"/> of a task would keep the failure forever).
/// </summary>
internal sealed class RetryingAsyncLazy<T>(Func<Task<T>> create)
{
    private readonly Lock _lock = new();
    private Task<T>? _task;

    /// <summary>Whether the value was created successfully.</summary>
    public bool IsValueCreated => Volatile.Read(ref _task) is { IsCompletedSuccessfully: true };

    /// <summary>The creation in progress or done; a new one when the last one failed.</summary>
    public Task<T> Value
    {
        get
        {
            var task = Volatile.Read(ref _task);
            if (task is not null && !task.IsFaulted && !task.IsCanceled) return task;
            lock (_lock)
            {
                if (_task is null || _task.IsFaulted || _task.IsCanceled) Volatile.Write(ref _task, create());
                return _task!;
            }
        }
    }
}
